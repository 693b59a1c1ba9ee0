/* SPDX-License-Identifier: GPL-2.0-only */
/* A cell's object on the bus (see cell-dbus.h). */
#include <inttypes.h>

#include "bus-names.h"
#include "cell-dbus.h"
#include "log.h"
#include "manager.h"

static int property_get(
                sd_bus *bus,
                const char *path,
                const char *interface,
                const char *property,
                sd_bus_message *reply,
                void *userdata,
                sd_bus_error *error) {

        Cell *c = userdata;
        int r;

        if (streq(property, "Name"))
                return sd_bus_message_append(reply, "s", c->name);
        if (streq(property, "ConfigFile"))
                return sd_bus_message_append(reply, "s", c->config_file);
        if (streq(property, "CPUs")) {
                r = sd_bus_message_open_container(reply, 'a', "u");
                if (r < 0)
                        return r;
                for (uint32_t cpu = 0; cpu < 64; cpu++)
                        if (c->desc.cell->cpu_set & (UINT64_C(1) << cpu)) {
                                r = sd_bus_message_append(reply, "u", cpu);
                                if (r < 0)
                                        return r;
                        }
                return sd_bus_message_close_container(reply);
        }
        if (streq(property, "MemoryBytes"))
                return sd_bus_message_append(reply, "t", cell_blob_memory(&c->desc));
        if (streq(property, "Autostart"))
                return sd_bus_message_append(reply, "b", !!(c->desc.policy->flags & WARDEN_POLICY_AUTOSTART));
        if (streq(property, "MayRefuse"))
                return sd_bus_message_append(reply, "b", !!(c->desc.cell->flags & WARDEN_CELL_MAY_REFUSE));
        if (streq(property, "Restart"))
                return sd_bus_message_append(reply, "s", restart_mode_to_string(c->policy.mode));
        if (streq(property, "WatchdogUSec"))
                return sd_bus_message_append(reply, "t", (uint64_t) c->desc.policy->watchdog_ms * USEC_PER_MSEC);
        if (streq(property, "State"))
                return sd_bus_message_append(reply, "s", cell_state_text(c));
        if (streq(property, "Result"))
                return sd_bus_message_append(reply, "s", cell_result_to_string(c->result));
        if (streq(property, "Id"))
                return sd_bus_message_append(reply, "u", c->id);
        if (streq(property, "RestartCount"))
                return sd_bus_message_append(reply, "u", c->restart_count);
        if (streq(property, "LastFailure"))
                return sd_bus_message_append(reply, "s", c->last_failure);
        if (streq(property, "NeedsRestart"))
                return sd_bus_message_append(reply, "b", c->needs_restart);
        if (streq(property, "StartedTimestamp"))
                return sd_bus_message_append(reply, "t", c->started_usec);
        if (streq(property, "StatusText"))
                return sd_bus_message_append(reply, "s", c->status_text);

        return sd_bus_error_setf(error, SD_BUS_ERROR_UNKNOWN_PROPERTY, "Unknown property %s", property);
}

int cell_bus_start(sd_bus_message *message, Cell *c, sd_bus_error *error) {
        int r;

        log_info("Starting cell %s on request of %s.", c->name, strempty(sd_bus_message_get_sender(message)));
        r = cell_start(c, true, message, error);
        if (r != 0)
                return r;       /* failed, or answered once the start has ended */
        return sd_bus_reply_method_return(message, NULL);
}

int cell_bus_stop(sd_bus_message *message, Cell *c, sd_bus_error *error) {
        int r;

        log_info("Stopping cell %s on request of %s.", c->name, strempty(sd_bus_message_get_sender(message)));
        r = cell_stop(c, message, error);
        if (r != 0)
                return r;       /* failed, or answered once the cell has stopped */
        return sd_bus_reply_method_return(message, NULL);
}

int cell_bus_restart(sd_bus_message *message, Cell *c, sd_bus_error *error) {
        int r;

        log_info("Restarting cell %s on request of %s.", c->name, strempty(sd_bus_message_get_sender(message)));
        r = cell_restart(c, message, error);
        if (r != 0)
                return r;
        return sd_bus_reply_method_return(message, NULL);
}

static int method_start(sd_bus_message *message, void *userdata, sd_bus_error *error) {
        return cell_bus_start(message, userdata, error);
}

static int method_stop(sd_bus_message *message, void *userdata, sd_bus_error *error) {
        return cell_bus_stop(message, userdata, error);
}

static int method_restart(sd_bus_message *message, void *userdata, sd_bus_error *error) {
        return cell_bus_restart(message, userdata, error);
}

/*
 * ---- the console's writer -------------------------------------------------------------------
 *
 * Many may read a cell's console (the journal, the module), one D-Bus client at a time may
 * write to its virtual UART: the first to attach (or write) holds it until it detaches or its
 * bus name goes away (sd_bus_track); anyone else is refused with ConsoleBusy, naming it.
 */

static int console_writer_gone(sd_bus_track *t, void *userdata) {
        Cell *c = userdata;

        log_info("The writer of the console of cell %s left.", c->name);
        c->console_writer = sd_bus_track_unref(c->console_writer);
        return 0;
}

static int console_claim(sd_bus_message *message, Cell *c, sd_bus_error *error) {
        const char *sender = sd_bus_message_get_sender(message);
        int r;

        if (!(c->desc.cell->flags & WARDEN_CELL_UART))
                return sd_bus_error_setf(error, CELLD_ERROR_REFUSED,
                                         "Cell %s has no virtual UART to write to: its description has no os.uart.",
                                         c->name);
        if (c->console_writer) {
                if (sender && sd_bus_track_count_name(c->console_writer, sender) > 0)
                        return 0;
                return sd_bus_error_setf(error, CELLD_ERROR_CONSOLE_BUSY,
                                         "The console of cell %s has a writer already (%s): one at a time.",
                                         c->name, strempty(sd_bus_track_first(c->console_writer)));
        }
        r = sd_bus_track_new(sd_bus_message_get_bus(message), &c->console_writer, console_writer_gone, c);
        if (r >= 0)
                r = sd_bus_track_add_sender(c->console_writer, message);
        if (r < 0) {
                c->console_writer = sd_bus_track_unref(c->console_writer);
                return r;
        }
        log_info("The console of cell %s is written by %s now.", c->name, strempty(sender));
        return 0;
}

static int method_console_attach(sd_bus_message *message, void *userdata, sd_bus_error *error) {
        int r = console_claim(message, userdata, error);

        if (r != 0)
                return r;
        return sd_bus_reply_method_return(message, NULL);
}

static int method_console_detach(sd_bus_message *message, void *userdata, sd_bus_error *error) {
        Cell *c = userdata;
        const char *sender = sd_bus_message_get_sender(message);

        if (c->console_writer && sender && sd_bus_track_count_name(c->console_writer, sender) > 0) {
                log_info("%s leaves the console of cell %s.", sender, c->name);
                c->console_writer = sd_bus_track_unref(c->console_writer);
        }
        return sd_bus_reply_method_return(message, NULL);
}

/* Bytes for the cell's UART: answers how many its FIFO took (0: full, the caller tries again). */
static int method_console_write(sd_bus_message *message, void *userdata, sd_bus_error *error) {
        Cell *c = userdata;
        WardenNl *nl = c->manager->nl;
        const void *data;
        size_t size, written = 0;
        int r;

        r = sd_bus_message_read_array(message, 'y', &data, &size);
        if (r < 0)
                return r;
        if (size == 0 || size > WARDEN_GENL_CONSOLE_WRITE_MAX)
                return sd_bus_error_setf(error, SD_BUS_ERROR_INVALID_ARGS,
                                         "ConsoleWrite takes 1 to %u bytes, not %zu.", WARDEN_GENL_CONSOLE_WRITE_MAX,
                                         size);
        r = console_claim(message, c, error);
        if (r != 0)
                return r;
        if (c->id == 0)
                return sd_bus_error_setf(error, CELLD_ERROR_REFUSED, "Cell %s does not run.", c->name);
        r = warden_nl_cell_console_write(nl, c->id, data, size, &written);
        if (r < 0)
                return sd_bus_error_setf(error, CELLD_ERROR_REFUSED, "Failed to write to the console of cell %s: %s",
                                         c->name, warden_nl_strerror(nl, r));
        return sd_bus_reply_method_return(message, "u", (uint32_t) written);
}

#define CONST SD_BUS_VTABLE_PROPERTY_CONST
#define EMITS_CHANGE SD_BUS_VTABLE_PROPERTY_EMITS_CHANGE

static const sd_bus_vtable cell_vtable[] = {
        SD_BUS_VTABLE_START(0),
        /* From the description in effect. */
        SD_BUS_PROPERTY("Name", "s", property_get, 0, CONST),
        SD_BUS_PROPERTY("CPUs", "au", property_get, 0, CONST),
        SD_BUS_PROPERTY("MemoryBytes", "t", property_get, 0, CONST),
        SD_BUS_PROPERTY("ConfigFile", "s", property_get, 0, CONST),
        SD_BUS_PROPERTY("Autostart", "b", property_get, 0, CONST),
        SD_BUS_PROPERTY("MayRefuse", "b", property_get, 0, CONST),
        SD_BUS_PROPERTY("Restart", "s", property_get, 0, CONST),
        SD_BUS_PROPERTY("WatchdogUSec", "t", property_get, 0, CONST),
        /* Runtime; the names must match cell_snapshot_diff(). */
        SD_BUS_PROPERTY("State", "s", property_get, 0, EMITS_CHANGE),
        SD_BUS_PROPERTY("Result", "s", property_get, 0, EMITS_CHANGE),
        SD_BUS_PROPERTY("Id", "u", property_get, 0, EMITS_CHANGE),
        SD_BUS_PROPERTY("RestartCount", "u", property_get, 0, EMITS_CHANGE),
        SD_BUS_PROPERTY("LastFailure", "s", property_get, 0, EMITS_CHANGE),
        SD_BUS_PROPERTY("NeedsRestart", "b", property_get, 0, EMITS_CHANGE),
        SD_BUS_PROPERTY("StartedTimestamp", "t", property_get, 0, EMITS_CHANGE),
        SD_BUS_PROPERTY("StatusText", "s", property_get, 0, EMITS_CHANGE),
        /* Privileged: not SD_BUS_VTABLE_UNPRIVILEGED, and the bus policy allows them to root only. */
        SD_BUS_METHOD_WITH_ARGS("Start", SD_BUS_NO_ARGS, SD_BUS_NO_RESULT, method_start, 0),
        SD_BUS_METHOD_WITH_ARGS("Stop", SD_BUS_NO_ARGS, SD_BUS_NO_RESULT, method_stop, 0),
        SD_BUS_METHOD_WITH_ARGS("Restart", SD_BUS_NO_ARGS, SD_BUS_NO_RESULT, method_restart, 0),
        SD_BUS_METHOD_WITH_ARGS("ConsoleAttach", SD_BUS_NO_ARGS, SD_BUS_NO_RESULT, method_console_attach, 0),
        SD_BUS_METHOD_WITH_ARGS("ConsoleWrite", SD_BUS_ARGS("ay", data), SD_BUS_RESULT("u", written),
                                method_console_write, 0),
        SD_BUS_METHOD_WITH_ARGS("ConsoleDetach", SD_BUS_NO_ARGS, SD_BUS_NO_RESULT, method_console_detach, 0),
        SD_BUS_VTABLE_END
};

int cell_bus_register(Cell *c) {
        Manager *m = c->manager;
        int r;

        if (!m->bus || c->slot)
                return 0;
        r = sd_bus_add_object_vtable(m->bus, &c->slot, c->object_path, CELLD_CELL_INTERFACE, cell_vtable, c);
        if (r < 0)
                return log_error_errno(r, "Failed to add the object of cell %s: %m", c->name);
        if (m->announce) {
                r = sd_bus_emit_object_added(m->bus, c->object_path);
                if (r < 0)
                        log_warning_errno(r, "Failed to announce the object of cell %s, ignoring: %m", c->name);
        }
        cell_snapshot(c, &c->announced);
        return 0;
}

void cell_bus_unregister(Cell *c) {
        Manager *m = c->manager;
        int r;

        if (!c->slot)
                return;
        if (m->announce) {
                r = sd_bus_emit_object_removed(m->bus, c->object_path);
                if (r < 0)
                        log_warning_errno(r, "Failed to announce the removal of cell %s, ignoring: %m", c->name);
        }
        c->slot = sd_bus_slot_unref(c->slot);
}

size_t cell_snapshot_diff(const CellSnapshot *a, const CellSnapshot *b, const char *ret[static 16]) {
        size_t n = 0;

        if (a->state != b->state || a->locked != b->locked)
                ret[n++] = "State";
        if (a->result != b->result)
                ret[n++] = "Result";
        if (a->id != b->id)
                ret[n++] = "Id";
        if (a->restart_count != b->restart_count)
                ret[n++] = "RestartCount";
        if (!streq(a->last_failure, b->last_failure))
                ret[n++] = "LastFailure";
        if (a->needs_restart != b->needs_restart)
                ret[n++] = "NeedsRestart";
        if (a->started_usec != b->started_usec)
                ret[n++] = "StartedTimestamp";
        if (!streq(a->status_text, b->status_text))
                ret[n++] = "StatusText";
        ret[n] = NULL;
        return n;
}

int cell_bus_emit_changes(Cell *c) {
        const char *changed[16];
        CellSnapshot now;
        size_t n;
        int r;

        cell_snapshot(c, &now);
        n = cell_snapshot_diff(&c->announced, &now, changed);
        c->announced = now;
        if (n == 0 || !c->slot)
                return (int) n;

        r = sd_bus_emit_properties_changed_strv(c->manager->bus, c->object_path, CELLD_CELL_INTERFACE,
                                                (char **) changed);
        if (r < 0)
                log_warning_errno(r, "Failed to announce the changes of cell %s, ignoring: %m", c->name);
        return (int) n;
}
