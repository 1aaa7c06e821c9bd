/* zcbench report: not built yet. */
#include <stdio.h>

#include "commands.h"

int zc_cmd_report(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	fputs("zcbench: 'report' is not available in this build\n", stderr);
	return 2;
}
