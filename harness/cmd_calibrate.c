/* zcbench calibrate: not built yet. */
#include <stdio.h>

#include "commands.h"

int zc_cmd_calibrate(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	fputs("zcbench: 'calibrate' is not available in this build\n", stderr);
	return 2;
}
