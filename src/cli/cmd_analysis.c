/* placeholder */
#include "carry/error.h"
#include "cli.h"
int cmd_drive_bys(struct invocation *inv) { (void)inv; return carry_error(CARRY_ERR, "not yet"); }
int cmd_orphans(struct invocation *inv) { (void)inv; return carry_error(CARRY_ERR, "not yet"); }
int cmd_triage(struct invocation *inv) { (void)inv; return carry_error(CARRY_ERR, "not yet"); }
int cmd_report(struct invocation *inv) { (void)inv; return carry_error(CARRY_ERR, "not yet"); }
