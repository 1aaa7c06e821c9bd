/* zcbench hyperfine: not built yet. */
#include <stdio.h>

#include "commands.h"

int zc_cmd_hyperfine(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	fputs("zcbench: 'hyperfine' is not available in this build\n", stderr);
	return 2;
}
