/* Subcommands that live in files of their own. Each takes argv with the
 * command name at argv[0] and returns the exit status (2 for bad input). */
#ifndef ZC_COMMANDS_H
#define ZC_COMMANDS_H

int zc_cmd_report(int argc, char **argv);
int zc_cmd_compare(int argc, char **argv);
int zc_cmd_calibrate(int argc, char **argv);
int zc_cmd_hyperfine(int argc, char **argv);
int zc_cmd_peer(int argc, char **argv);

#endif
