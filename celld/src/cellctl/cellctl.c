/* SPDX-License-Identifier: GPL-2.0-only */
/* cellctl: the user's CLI; talks to celld over D-Bus. */
#include <stdlib.h>
#include <systemd/sd-bus.h>

#include "bus-names.h"
#include "cellctl-args.h"
#include "cellctl-bus.h"
#include "cellctl-cells.h"
#include "cellctl-desc.h"
#include "cellctl-format.h"
#include "json-util.h"
#include "log.h"

/* One entry of the a{sv}: keeps the string properties cellctl knows, skips the rest. */
static int read_property(sd_bus_message *reply, ManagerStatus *s) {
        const ManagerStatusField *field;
        const char *name, *contents, *value;
        char *copy;
        int r;

        r = sd_bus_message_read(reply, "s", &name);
        if (r < 0)
                return r;
        r = sd_bus_message_peek_type(reply, NULL, &contents);
        if (r < 0)
                return r;

        field = manager_status_field(name);
        if (!field || !streq(contents, "s"))
                return sd_bus_message_skip(reply, "v");

        r = sd_bus_message_read(reply, "v", "s", &value);
        if (r < 0)
                return r;
        copy = strdup(value);
        if (!copy)
                return -ENOMEM;
        manager_status_set(s, field, copy);
        return 0;
}

static int read_properties(sd_bus_message *reply, ManagerStatus *s) {
        int r;

        r = sd_bus_message_enter_container(reply, 'a', "{sv}");
        if (r < 0)
                return r;

        while ((r = sd_bus_message_enter_container(reply, 'e', "sv")) > 0) {
                r = read_property(reply, s);
                if (r < 0)
                        return r;
                r = sd_bus_message_exit_container(reply);
                if (r < 0)
                        return r;
        }
        if (r < 0)
                return r;

        return sd_bus_message_exit_container(reply);
}

static int manager_get_all(sd_bus *bus, const CellctlArgs *args, ManagerStatus *s) {
        _cleanup_(sd_bus_error_free) sd_bus_error error = SD_BUS_ERROR_NULL;
        _cleanup_(sd_bus_message_unrefp) sd_bus_message *reply = NULL;
        int r;

        r = sd_bus_call_method(bus, CELLD_BUS_NAME, CELLD_OBJECT_PATH, "org.freedesktop.DBus.Properties",
                               "GetAll", &error, &reply, "s", CELLD_MANAGER_INTERFACE);
        if (r < 0 &&
            sd_bus_error_has_names(&error, SD_BUS_ERROR_SERVICE_UNKNOWN, SD_BUS_ERROR_NAME_HAS_NO_OWNER))
                return log_error_errno(SYNTHETIC_ERRNO(ESRCH), "celld is not running (%s not on the %s bus)",
                                       CELLD_BUS_NAME, bus_kind(args));
        if (r < 0)
                return log_error_errno(r, "Failed to read celld's properties: %s",
                                       bus_error_text(&error, r));

        r = read_properties(reply, s);
        if (r < 0)
                return log_error_errno(r, "Failed to parse celld's properties: %m");
        return 0;
}

static int print_status(const ManagerStatus *s, bool json) {
        json_auto_t *o = NULL;
        int r;

        if (!json)
                return manager_status_print(s, stdout);

        r = manager_status_to_json(s, &o);
        if (r < 0)
                return log_oom();
        r = json_print(o, stdout);
        if (r < 0)
                return log_error_errno(r, "Failed to write JSON: %m");
        return 0;
}

static int verb_status(const CellctlArgs *args) {
        _cleanup_(sd_bus_flush_close_unrefp) sd_bus *bus = NULL;
        _cleanup_(manager_status_done) ManagerStatus s = {};
        int r;

        if (args->name)
                return verb_cell_status(args);

        r = bus_open(args, &bus);
        if (r < 0)
                return r;

        r = manager_get_all(bus, args, &s);
        if (r < 0)
                return r;

        return print_status(&s, args->json);
}

static int (*const verbs[_CELLCTL_VERB_MAX])(const CellctlArgs *args) = {
        [CELLCTL_VERB_STATUS] = verb_status,
        [CELLCTL_VERB_LIST] = verb_list,
        [CELLCTL_VERB_START] = verb_unit,
        [CELLCTL_VERB_STOP] = verb_unit,
        [CELLCTL_VERB_RESTART] = verb_unit,
        [CELLCTL_VERB_CONSOLE] = verb_console,
        [CELLCTL_VERB_EVENTS] = verb_events,
        [CELLCTL_VERB_SUPERVISE] = verb_supervise,
        [CELLCTL_VERB_VALIDATE] = verb_validate,
        [CELLCTL_VERB_COMPILE] = verb_compile,
        [CELLCTL_VERB_SHOW] = verb_show,
        [CELLCTL_VERB_SCHEMA] = verb_schema,
};

int main(int argc, char *argv[]) {
        CellctlArgs args;
        int r;

        log_setup();

        r = cellctl_parse_argv(argc, argv, &args);
        if (r < 0)
                return EXIT_USAGE;
        if (r == 0)
                return EXIT_SUCCESS;

        r = verbs[args.verb](&args);
        return r < 0 ? EXIT_FAILURE : EXIT_SUCCESS;
}
