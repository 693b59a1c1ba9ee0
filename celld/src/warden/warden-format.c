/* SPDX-License-Identifier: GPL-2.0-only */
/* How the warden CLI shows the module's state and events, as text and as JSON. */
#include <inttypes.h>

#include "json-util.h"
#include "warden-format.h"

int warden_status_to_json(const WardenInfo *info, json_t **ret) {
        json_auto_t *o = json_object();

        if (!o)
                return -ENOMEM;

        if (json_object_set_string(o, "state", warden_hv_state_name(info->state)) < 0 ||
            json_object_set_string(o, "module_version", info->module_version) < 0 ||
            json_object_set_string(o, "hypervisor_version", info->hv_version) < 0 ||
            json_object_set_integer(o, "hypervisor_abi", info->hv_abi) < 0 ||
            json_object_set_integer(o, "hypervisor_size", (json_int_t) info->hv_size) < 0 ||
            json_object_set_integer(o, "cpus_possible", info->cpus_possible) < 0 ||
            json_object_set_integer(o, "cpus_online", info->cpus_online) < 0)
                return -ENOMEM;

        *ret = TAKE_PTR(o);
        return 0;
}

#define FIELD "%-20s"

int warden_status_print(const WardenInfo *info, FILE *f) {
        fprintf(f, FIELD "%s\n", "Module version:", info->module_version);
        fprintf(f, FIELD "%s\n", "Hypervisor version:",
                isempty(info->hv_version) ? "n/a" : info->hv_version);
        fprintf(f, FIELD "%" PRIu32 "\n", "Hypervisor ABI:", info->hv_abi);
        fprintf(f, FIELD "%" PRIu64 " bytes\n", "Hypervisor size:", info->hv_size);
        fprintf(f, FIELD "%s\n", "State:", warden_hv_state_name(info->state));
        fprintf(f, FIELD "%" PRIu32 " online, %" PRIu32 " possible\n", "CPUs:",
                info->cpus_online, info->cpus_possible);

        return ferror(f) ? -EIO : 0;
}

int warden_event_to_json(const WardenEvent *event, json_t **ret) {
        json_auto_t *o = json_object();
        int r;

        if (!o)
                return -ENOMEM;

        r = json_object_set_string(o, "event", warden_event_type_to_string(event->type));
        if (r >= 0 && event->type == WARDEN_EVENT_STATE_CHANGED)
                r = json_object_set_string(o, "state", warden_hv_state_name(event->state));
        if (r < 0)
                return r;

        *ret = TAKE_PTR(o);
        return 0;
}

int warden_event_print(const WardenEvent *event, FILE *f) {
        switch (event->type) {
        case WARDEN_EVENT_STATE_CHANGED:
                fprintf(f, "Hypervisor state: %s\n", warden_hv_state_name(event->state));
                break;
        case WARDEN_EVENT_MODULE_LOADED:
                fprintf(f, "Module loaded\n");
                break;
        case WARDEN_EVENT_MODULE_UNLOADED:
                fprintf(f, "Module not loaded\n");
                break;
        default:
                fprintf(f, "Events lost\n");
                break;
        }
        return ferror(f) ? -EIO : 0;
}
