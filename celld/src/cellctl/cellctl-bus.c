/* SPDX-License-Identifier: GPL-2.0-only */
/* cellctl's side of celld's bus API (see cellctl-bus.h). */
#include <stdlib.h>
#include <string.h>

#include "bus-names.h"
#include "cellctl-bus.h"
#include "json-util.h"
#include "log.h"

const char *bus_kind(const CellctlArgs *args) {
        return args->user_bus ? "user" : "system";
}

int bus_open(const CellctlArgs *args, sd_bus **ret) {
        int r;

        r = args->user_bus ? sd_bus_open_user(ret) : sd_bus_open_system(ret);
        if (r < 0)
                return log_error_errno(r, "Failed to connect to the %s bus: %m", bus_kind(args));
        return 0;
}

const char *bus_error_text(const sd_bus_error *error, int r) {
        return error->message ?: strerror(ERRNO_VALUE(r));
}

bool bus_error_is_no_celld(const sd_bus_error *error) {
        return sd_bus_error_has_names(error, SD_BUS_ERROR_SERVICE_UNKNOWN, SD_BUS_ERROR_NAME_HAS_NO_OWNER);
}

int log_bus_error(const CellctlArgs *args, const sd_bus_error *error, int r, const char *what) {
        if (bus_error_is_no_celld(error))
                return log_error_errno(SYNTHETIC_ERRNO(ESRCH), "celld is not running (%s not on the %s bus)",
                                       CELLD_BUS_NAME, bus_kind(args));
        return log_error_errno(r, "%s: %s", what, bus_error_text(error, r));
}

void cell_props_done(CellProps *p) {
        free(p->name);
        free(p->state);
        free(p->result);
        free(p->config_file);
        free(p->restart);
        free(p->last_failure);
        free(p->status_text);
        *p = (CellProps) {};
}

static int read_string(sd_bus_message *m, char **field) {
        const char *v;
        char *copy;
        int r;

        r = sd_bus_message_read(m, "v", "s", &v);
        if (r < 0)
                return r;
        copy = strdup(v);
        if (!copy)
                return -ENOMEM;
        free(*field);
        *field = copy;
        return 0;
}

static int read_cpus(sd_bus_message *m, uint64_t *mask) {
        uint32_t cpu;
        int r;

        r = sd_bus_message_enter_container(m, 'v', "au");
        if (r < 0)
                return r;
        r = sd_bus_message_enter_container(m, 'a', "u");
        if (r < 0)
                return r;
        *mask = 0;
        while ((r = sd_bus_message_read(m, "u", &cpu)) > 0)
                if (cpu < 64)
                        *mask |= UINT64_C(1) << cpu;
        if (r < 0)
                return r;
        r = sd_bus_message_exit_container(m);
        if (r < 0)
                return r;
        return sd_bus_message_exit_container(m);
}

static int read_bool(sd_bus_message *m, bool *field) {
        int b, r;

        r = sd_bus_message_read(m, "v", "b", &b);
        if (r < 0)
                return r;
        *field = b;
        return 0;
}

static int read_one(sd_bus_message *m, CellProps *p) {
        const char *name, *contents;
        int r;

        r = sd_bus_message_read(m, "s", &name);
        if (r < 0)
                return r;
        r = sd_bus_message_peek_type(m, NULL, &contents);
        if (r < 0)
                return r;

#define STRING(prop, field) if (streq(name, prop) && streq(contents, "s")) return read_string(m, &p->field)
#define NUMBER(prop, sig, field) if (streq(name, prop) && streq(contents, sig)) return sd_bus_message_read(m, "v", sig, &p->field)
        STRING("Name", name);
        STRING("State", state);
        STRING("Result", result);
        STRING("ConfigFile", config_file);
        STRING("Restart", restart);
        STRING("LastFailure", last_failure);
        STRING("StatusText", status_text);
        NUMBER("MemoryBytes", "t", memory);
        NUMBER("WatchdogUSec", "t", watchdog_usec);
        NUMBER("StartedTimestamp", "t", started_usec);
        NUMBER("Id", "u", id);
        NUMBER("RestartCount", "u", restart_count);
#undef STRING
#undef NUMBER
        if (streq(name, "Autostart") && streq(contents, "b"))
                return read_bool(m, &p->autostart);
        if (streq(name, "NeedsRestart") && streq(contents, "b"))
                return read_bool(m, &p->needs_restart);
        if (streq(name, "CPUs") && streq(contents, "au"))
                return read_cpus(m, &p->cpus);
        return sd_bus_message_skip(m, "v");
}

int cell_props_read(sd_bus_message *m, CellProps *p) {
        int r;

        r = sd_bus_message_enter_container(m, 'a', "{sv}");
        if (r < 0)
                return r;
        while ((r = sd_bus_message_enter_container(m, 'e', "sv")) > 0) {
                r = read_one(m, p);
                if (r < 0)
                        return r;
                r = sd_bus_message_exit_container(m);
                if (r < 0)
                        return r;
        }
        if (r < 0)
                return r;
        return sd_bus_message_exit_container(m);
}

int cell_props_get(sd_bus *bus, const char *path, CellProps *p, sd_bus_error *error) {
        _cleanup_(sd_bus_message_unrefp) sd_bus_message *reply = NULL;
        int r;

        r = sd_bus_call_method(bus, CELLD_BUS_NAME, path, "org.freedesktop.DBus.Properties", "GetAll", error,
                               &reply, "s", CELLD_CELL_INTERFACE);
        if (r < 0)
                return r;
        return cell_props_read(reply, p);
}

int cell_path_get(sd_bus *bus, const char *name, char **ret, sd_bus_error *error) {
        _cleanup_(sd_bus_message_unrefp) sd_bus_message *reply = NULL;
        const char *path;
        int r;

        r = sd_bus_call_method(bus, CELLD_BUS_NAME, CELLD_OBJECT_PATH, CELLD_MANAGER_INTERFACE, "GetCell", error,
                               &reply, "s", name);
        if (r < 0)
                return r;
        r = sd_bus_message_read(reply, "o", &path);
        if (r < 0)
                return r;
        *ret = strdup(path);
        return *ret ? 0 : -ENOMEM;
}

static int set_string(json_t *o, const char *key, const char *v) {
        return json_object_set_new(o, key, v ? json_string(v) : json_null());
}

int cell_props_to_json(const CellProps *p, json_t **ret) {
        json_auto_t *o = json_object(), *cpus = json_array();

        if (!o || !cpus)
                return -ENOMEM;
        for (unsigned cpu = 0; cpu < 64; cpu++)
                if ((p->cpus & (UINT64_C(1) << cpu)) && json_array_append_new(cpus, json_integer(cpu)) < 0)
                        return -ENOMEM;
        if (set_string(o, "name", p->name) < 0 ||
            set_string(o, "state", p->state) < 0 ||
            set_string(o, "result", p->result) < 0 ||
            json_object_set_new(o, "id", json_integer(p->id)) < 0 ||
            json_object_set(o, "cpus", cpus) < 0 ||
            json_object_set_new(o, "memory", json_integer((json_int_t) p->memory)) < 0 ||
            set_string(o, "config_file", p->config_file) < 0 ||
            json_object_set_new(o, "autostart", json_boolean(p->autostart)) < 0 ||
            set_string(o, "restart", p->restart) < 0 ||
            json_object_set_new(o, "restart_count", json_integer(p->restart_count)) < 0 ||
            json_object_set_new(o, "watchdog_usec", json_integer((json_int_t) p->watchdog_usec)) < 0 ||
            set_string(o, "last_failure", p->last_failure) < 0 ||
            json_object_set_new(o, "needs_restart", json_boolean(p->needs_restart)) < 0 ||
            json_object_set_new(o, "started_usec", json_integer((json_int_t) p->started_usec)) < 0 ||
            set_string(o, "status", p->status_text) < 0)
                return -ENOMEM;
        *ret = TAKE_PTR(o);
        return 0;
}
