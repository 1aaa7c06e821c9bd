/* zcbench compare: not built yet. */
#include <stdio.h>

#include "commands.h"

int zc_cmd_compare(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	fputs("zcbench: 'compare' is not available in this build\n", stderr);
	return 2;
}
