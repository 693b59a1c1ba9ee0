/* SPDX-License-Identifier: GPL-2.0-only */
/* Pure parsers of warden-nl.c, exposed for the unit tests. */
#pragma once

#include <linux/genetlink.h>
#include <linux/netlink.h>
#include <stddef.h>

#include "warden-nl.h"

/* The generic netlink controller and its group announcing family (un)registrations. */
#define NL_CTRL_NAME "nlctrl"
#define NL_CTRL_GROUP_NOTIFY "notify"

typedef struct NlFamily {
        char name[GENL_NAMSIZ];
        uint16_t id;
        uint32_t group_id;              /* id of the group asked for, 0 if not found */
} NlFamily;

/* CTRL_CMD_GETFAMILY: the id of family @name and of its multicast group @group. */
int nl_ctrl_get_family(WardenNl *nl, const char *name, const char *group, NlFamily *ret);
/* The same from a dump of all families: never makes the kernel load a module; -ENOENT if absent. */
int nl_ctrl_find_family(WardenNl *nl, const char *name, const char *group, NlFamily *ret);
/* Parses a CTRL_CMD_NEWFAMILY message (reply or notification), looking up group @group. */
int nl_parse_family(struct nlmsghdr *nlh, const char *group, NlFamily *ret);
/* Parses the reply to WARDEN_CMD_GET. */
int warden_nl_parse_info(struct nlmsghdr *nlh, WardenInfo *ret);
/* Parses the reply to WARDEN_CMD_CONSOLE. */
int warden_nl_parse_console(struct nlmsghdr *nlh, WardenConsole *ret);
/* Parses the cell attributes of a CELL_GET reply or dump entry, or of a CELL_CHANGED event. */
int warden_nl_parse_cell(struct nlmsghdr *nlh, WardenCellInfo *ret);
/* Parses the reply to WARDEN_CMD_CELL_SHUTDOWN: whether the cell was asked. */
int warden_nl_parse_shutdown(struct nlmsghdr *nlh, bool *ret_asked);
/* Copies the NLMSGERR_ATTR_MSG text of an NLMSG_ERROR message; 0 if found, -ENODATA if not. */
int nl_parse_extack(const struct nlmsghdr *nlh, char *buf, size_t size);
/*
 * Turns one multicast message into an event. @family_id is the module's current family id
 * (0 if unknown). Returns 1 with an event, 0 for messages that are none of our business.
 */
int warden_event_parse(struct nlmsghdr *nlh, uint16_t family_id, WardenEvent *ret);
