/* SPDX-License-Identifier: GPL-2.0-only */
/* The org.warden.cell1.Manager object on the bus. */
#include "bus-names.h"
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

        log_info("Reloading on request of %s.", strempty(sd_bus_message_get_sender(message)));
        warden_nl_forget(m->nl);
        manager_refresh(m);
        (void) manager_load_config(m);

        return sd_bus_reply_method_return(message, NULL);
}

#define EMITS_CHANGE SD_BUS_VTABLE_PROPERTY_EMITS_CHANGE

static const sd_bus_vtable manager_vtable[] = {
        SD_BUS_VTABLE_START(0),
        SD_BUS_PROPERTY("HypervisorState", "s", property_get_string, 0, EMITS_CHANGE),
        SD_BUS_PROPERTY("ModuleVersion", "s", property_get_string, 0, EMITS_CHANGE),
        SD_BUS_PROPERTY("HypervisorVersion", "s", property_get_string, 0, EMITS_CHANGE),
        /* Privileged: not SD_BUS_VTABLE_UNPRIVILEGED, and the bus policy allows it to root only. */
        SD_BUS_METHOD_WITH_ARGS("Reload", SD_BUS_NO_ARGS, SD_BUS_NO_RESULT, method_reload, 0),
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

        r = manager_bus_register(m);
        if (r < 0)
                return r;

        /* Only now that the object is there, so that no one sees the name without it. */
        r = sd_bus_request_name(m->bus, CELLD_BUS_NAME, 0);
        if (r < 0)
                return log_error_errno(r, "Failed to request bus name %s: %m", CELLD_BUS_NAME);

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
