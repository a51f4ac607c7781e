/* carry's entry point: parse, run one command, map its result to an exit
 * status (DESIGN.md: 0 ok, 1 runtime failure, 2 usage, 3 rejected input). */
#include "carry/error.h"
#include "cli.h"

int main(int argc, char **argv)
{
	struct invocation inv;
	bool done;
	int rc = cli_parse(argc, argv, &inv, &done);
	if (rc == 0 && !done)
		rc = inv.cmd->run(&inv);
	if (rc < 0 && rc != CARRY_EINTR)
		cli_say(NULL, carry_error_last());
	return carry_exit_status(rc);
}
