/* SPDX-License-Identifier: GPL-2.0-only */
/* The org.warden.cell1.Manager object on the bus. */
#include <stdio.h>
#include <stdlib.h>

#include "bus-names.h"
#include "cell-dbus.h"
#include "cell.h"
#include "log.h"
#include "manager-config.h"
#include "manager-dbus.h"

typedef struct ManagerProperty {
        const char *name;
        const char *(*get)(const Manager *m);
} ManagerProperty;

/* Every string property of the Manager; PropertiesChanged is derived from this table. */
static const ManagerProperty manager_properties[MANAGER_BUS_N_PROPERTIES] = {
        { "HypervisorState", manager_hypervisor_state },
        { "ModuleVersion", manager_module_version },
        { "HypervisorVersion", manager_hypervisor_version },
        { "QuarantinedCPUs", manager_quarantined_cpus },
};

static int property_get_string(
                sd_bus *bus,
                const char *path,
                const char *interface,
                const char *property,
                sd_bus_message *reply,
                void *userdata,
                sd_bus_error *error) {

        const Manager *m = userdata;

        for (size_t i = 0; i < ELEMENTSOF(manager_properties); i++)
                if (streq(manager_properties[i].name, property))
                        return sd_bus_message_append(reply, "s", manager_properties[i].get(m));

        return sd_bus_error_setf(error, SD_BUS_ERROR_UNKNOWN_PROPERTY, "Unknown property %s", property);
}

static int method_reload(sd_bus_message *message, void *userdata, sd_bus_error *error) {
        Manager *m = userdata;
        int r;

        log_info("Reloading on request of %s.", strempty(sd_bus_message_get_sender(message)));
        warden_nl_forget(m->nl);
        manager_refresh(m);
        r = manager_load_config(m, true, error);
        if (r < 0)
                return r;

        return sd_bus_reply_method_return(message, NULL);
}

/* The cell @name, or an error that says why there is none. */
static int find_cell(Manager *m, const char *name, Cell **ret, sd_bus_error *error) {
        Cell *c = manager_find_cell(m, name);
        const Diag *d;

        if (c) {
                *ret = c;
                return 0;
        }
        d = manager_config_error(m, name);
        if (d)
                return sd_bus_error_setf(error, CELLD_ERROR_INVALID_DESCRIPTION,
                                         "the description of cell '%s' has errors: %s:%u:%u: %s", name,
                                         d->loc.file ?: "?", d->loc.line, d->loc.column, d->message);
        return sd_bus_error_setf(error, CELLD_ERROR_NO_SUCH_CELL,
                                 "no cell '%s': no description %s.yaml in /etc/cells.d, /run/cells.d or "
                                 "/usr/lib/cells.d (after adding one: systemctl reload celld)", name, name);
}

/* A diagnostic's message with its hint and the other side of a conflict, as one line. */
static int diag_text(const Diag *d, char **ret) {
        char *text = NULL, line[64] = "";

        if (d->related_loc.file && d->related_loc.line)
                snprintf(line, sizeof(line), ":%u:%u", d->related_loc.line, d->related_loc.column);
        if (asprintf(&text, "%s%s%s%s%s%s%s%s%s", d->message,
                     d->hint ? " (" : "", strempty(d->hint), d->hint ? ")" : "",
                     d->related_loc.file ? "; see " : "", strempty(d->related_loc.file), line,
                     d->related_loc.file && d->related_message ? ": " : "",
                     d->related_loc.file ? strempty(d->related_message) : "") < 0)
                return -ENOMEM;
        *ret = text;
        return 0;
}

static int method_validate(sd_bus_message *message, void *userdata, sd_bus_error *error) {
        _cleanup_(sd_bus_message_unrefp) sd_bus_message *reply = NULL;
        _cleanup_(desc_set_freep) DescSet *set = NULL;
        const char *path;
        int r;

        r = sd_bus_message_read(message, "s", &path);
        if (r < 0)
                return r;
        r = manager_validate(userdata, path, &set, error);
        if (r < 0)
                return r;

        r = sd_bus_message_new_method_return(message, &reply);
        if (r < 0)
                return r;
        r = sd_bus_message_open_container(reply, 'a', "(suusss)");
        if (r < 0)
                return r;
        for (size_t i = 0; i < set->diags.n; i++) {
                const Diag *d = &set->diags.items[i];
                _cleanup_free_ char *text = NULL;

                r = diag_text(d, &text);
                if (r < 0)
                        return r;
                r = sd_bus_message_append(reply, "(suusss)", strempty(d->loc.file), d->loc.line, d->loc.column,
                                          diag_severity_to_string(d->severity), strempty(d->rule), text);
                if (r < 0)
                        return r;
        }
        r = sd_bus_message_close_container(reply);
        if (r < 0)
                return r;
        return sd_bus_send(NULL, reply, NULL);
}

typedef int (*cell_method_t)(sd_bus_message *message, Cell *c, sd_bus_error *error);

static int method_cell_call(sd_bus_message *message, Manager *m, cell_method_t call, sd_bus_error *error) {
        const char *name;
        Cell *c = NULL;
        int r;

        r = sd_bus_message_read(message, "s", &name);
        if (r < 0)
                return r;
        r = find_cell(m, name, &c, error);
        if (r < 0)
                return r;
        return call(message, c, error);
}

static int method_start_cell(sd_bus_message *message, void *userdata, sd_bus_error *error) {
        return method_cell_call(message, userdata, cell_bus_start, error);
}

static int method_stop_cell(sd_bus_message *message, void *userdata, sd_bus_error *error) {
        return method_cell_call(message, userdata, cell_bus_stop, error);
}

static int method_restart_cell(sd_bus_message *message, void *userdata, sd_bus_error *error) {
        return method_cell_call(message, userdata, cell_bus_restart, error);
}

static int method_get_cell(sd_bus_message *message, void *userdata, sd_bus_error *error) {
        const char *name;
        Cell *c = NULL;
        int r;

        r = sd_bus_message_read(message, "s", &name);
        if (r < 0)
                return r;
        r = find_cell(userdata, name, &c, error);
        if (r < 0)
                return r;
        return sd_bus_reply_method_return(message, "o", c->object_path);
}

static int method_list_cells(sd_bus_message *message, void *userdata, sd_bus_error *error) {
        _cleanup_(sd_bus_message_unrefp) sd_bus_message *reply = NULL;
        Manager *m = userdata;
        int r;

        r = sd_bus_message_new_method_return(message, &reply);
        if (r < 0)
                return r;
        r = sd_bus_message_open_container(reply, 'a', "(sssuo)");
        if (r < 0)
                return r;
        for (size_t i = 0; i < m->n_cells; i++) {
                const Cell *c = m->cells[i];

                r = sd_bus_message_append(reply, "(sssuo)", c->name, cell_state_text(c),
                                          cell_result_to_string(c->result), c->id, c->object_path);
                if (r < 0)
                        return r;
        }
        r = sd_bus_message_close_container(reply);
        if (r < 0)
                return r;
        return sd_bus_send(NULL, reply, NULL);
}

#define EMITS_CHANGE SD_BUS_VTABLE_PROPERTY_EMITS_CHANGE

static const sd_bus_vtable manager_vtable[] = {
        SD_BUS_VTABLE_START(0),
        SD_BUS_PROPERTY("HypervisorState", "s", property_get_string, 0, EMITS_CHANGE),
        SD_BUS_PROPERTY("ModuleVersion", "s", property_get_string, 0, EMITS_CHANGE),
        SD_BUS_PROPERTY("HypervisorVersion", "s", property_get_string, 0, EMITS_CHANGE),
        SD_BUS_PROPERTY("QuarantinedCPUs", "s", property_get_string, 0, EMITS_CHANGE),
        /* Reading is for everyone (the bus policy allows these two to anyone as well). */
        SD_BUS_METHOD_WITH_ARGS("ListCells", SD_BUS_NO_ARGS, SD_BUS_RESULT("a(sssuo)", cells),
                                method_list_cells, SD_BUS_VTABLE_UNPRIVILEGED),
        SD_BUS_METHOD_WITH_ARGS("GetCell", SD_BUS_ARGS("s", name), SD_BUS_RESULT("o", cell),
                                method_get_cell, SD_BUS_VTABLE_UNPRIVILEGED),
        /* Privileged: not SD_BUS_VTABLE_UNPRIVILEGED, and the bus policy allows them to root only. */
        SD_BUS_METHOD_WITH_ARGS("StartCell", SD_BUS_ARGS("s", name), SD_BUS_NO_RESULT, method_start_cell, 0),
        SD_BUS_METHOD_WITH_ARGS("StopCell", SD_BUS_ARGS("s", name), SD_BUS_NO_RESULT, method_stop_cell, 0),
        SD_BUS_METHOD_WITH_ARGS("RestartCell", SD_BUS_ARGS("s", name), SD_BUS_NO_RESULT, method_restart_cell, 0),
        SD_BUS_METHOD_WITH_ARGS("Reload", SD_BUS_NO_ARGS, SD_BUS_NO_RESULT, method_reload, 0),
        /* Privileged as well: it reads files as root. */
        SD_BUS_METHOD_WITH_ARGS("Validate", SD_BUS_ARGS("s", path),
                                SD_BUS_RESULT("a(suusss)", diagnostics), method_validate, 0),
        SD_BUS_SIGNAL_WITH_ARGS("CellNew", SD_BUS_ARGS("s", name, "o", cell), 0),
        SD_BUS_SIGNAL_WITH_ARGS("CellRemoved", SD_BUS_ARGS("s", name, "o", cell), 0),
        SD_BUS_VTABLE_END
};

static int bus_open(Manager *m) {
        int r;

        r = m->user_bus ? sd_bus_open_user(&m->bus) : sd_bus_open_system(&m->bus);
        if (r < 0)
                return log_error_errno(r, "Failed to connect to the %s bus: %m",
                                       m->user_bus ? "user" : "system");

        /* Without the bus we are useless: leave the loop with a failure, systemd restarts us. */
        r = sd_bus_set_exit_on_disconnect(m->bus, true);
        if (r < 0)
                return log_error_errno(r, "Failed to set exit on disconnect: %m");

        r = sd_bus_attach_event(m->bus, m->event, SD_EVENT_PRIORITY_NORMAL);
        if (r < 0)
                return log_error_errno(r, "Failed to attach the bus to the event loop: %m");
        return 0;
}

int manager_bus_register(Manager *m) {
        int r;

        r = sd_bus_add_object_vtable(m->bus, NULL, CELLD_OBJECT_PATH, CELLD_MANAGER_INTERFACE,
                                     manager_vtable, m);
        if (r < 0)
                return log_error_errno(r, "Failed to add the Manager object: %m");

        r = sd_bus_add_object_manager(m->bus, NULL, CELLD_OBJECT_PATH);
        if (r < 0)
                return log_error_errno(r, "Failed to add the ObjectManager: %m");
        return 0;
}

int manager_connect_bus(Manager *m) {
        int r;

        r = bus_open(m);
        if (r < 0)
                return r;

        return manager_bus_register(m);
}

int manager_request_name(Manager *m) {
        int r;

        /* Only now that every object is there, so that no one sees the name without them. */
        r = sd_bus_request_name(m->bus, CELLD_BUS_NAME, 0);
        if (r < 0)
                return log_error_errno(r, "Failed to request bus name %s: %m", CELLD_BUS_NAME);
        m->announce = true;
        return 0;
}

void manager_bus_snapshot(const Manager *m, ManagerBusSnapshot *ret) {
        for (size_t i = 0; i < ELEMENTSOF(manager_properties); i++)
                snprintf(ret->values[i], sizeof(ret->values[i]), "%s", manager_properties[i].get(m));
}

int manager_bus_emit_changes(Manager *m, const ManagerBusSnapshot *old) {
        const char *changed[MANAGER_BUS_N_PROPERTIES + 1] = {};
        size_t n = 0;
        int r;

        for (size_t i = 0; i < ELEMENTSOF(manager_properties); i++)
                if (!streq(old->values[i], manager_properties[i].get(m)))
                        changed[n++] = manager_properties[i].name;

        if (n == 0 || !m->bus)
                return (int) n;

        r = sd_bus_emit_properties_changed_strv(m->bus, CELLD_OBJECT_PATH, CELLD_MANAGER_INTERFACE,
                                                (char **) changed);
        if (r < 0)
                log_warning_errno(r, "Failed to emit PropertiesChanged, ignoring: %m");
        return (int) n;
}
