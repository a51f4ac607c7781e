/* `carry demo [DIR]`: placeholder until the generator lands. */
#include "carry/error.h"
#include "cli.h"

int cmd_demo(struct invocation *inv)
{
	(void)inv;
	return carry_error(CARRY_ERR, "demo: not built yet");
}
