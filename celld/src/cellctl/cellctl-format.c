/* SPDX-License-Identifier: GPL-2.0-only */
/* celld's Manager properties as cellctl shows them, as text and as JSON. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include "cellctl-format.h"
#include "json-util.h"
#include "macro.h"

#define FIELD(property, key, label) { property, #key, label, offsetof(ManagerStatus, key) }

static const ManagerStatusField manager_status_fields[] = {
        FIELD("HypervisorState", hypervisor_state, "Hypervisor state:"),
        FIELD("ModuleVersion", module_version, "Module version:"),
        FIELD("HypervisorVersion", hypervisor_version, "Hypervisor version:"),
};

static char **field_ptr(ManagerStatus *s, const ManagerStatusField *field) {
        return (char **) ((uint8_t *) s + field->offset);
}

static const char *field_get(const ManagerStatus *s, const ManagerStatusField *field) {
        return *(char *const *) ((const uint8_t *) s + field->offset);
}

const ManagerStatusField *manager_status_field(const char *property) {
        for (size_t i = 0; i < ELEMENTSOF(manager_status_fields); i++)
                if (streq(manager_status_fields[i].property, property))
                        return &manager_status_fields[i];
        return NULL;
}

void manager_status_set(ManagerStatus *s, const ManagerStatusField *field, char *value) {
        char **p = field_ptr(s, field);

        free(*p);
        *p = value;
}

void manager_status_done(ManagerStatus *s) {
        for (size_t i = 0; i < ELEMENTSOF(manager_status_fields); i++)
                manager_status_set(s, &manager_status_fields[i], NULL);
}

int manager_status_to_json(const ManagerStatus *s, json_t **ret) {
        json_auto_t *o = json_object();

        if (!o)
                return -ENOMEM;

        for (size_t i = 0; i < ELEMENTSOF(manager_status_fields); i++) {
                const ManagerStatusField *field = &manager_status_fields[i];
                const char *v = field_get(s, field);

                if (json_object_set_new(o, field->json_key, v ? json_string(v) : json_null()) < 0)
                        return -ENOMEM;
        }

        *ret = TAKE_PTR(o);
        return 0;
}

int manager_status_print(const ManagerStatus *s, FILE *f) {
        for (size_t i = 0; i < ELEMENTSOF(manager_status_fields); i++) {
                const ManagerStatusField *field = &manager_status_fields[i];
                const char *v = field_get(s, field);

                fprintf(f, "%-20s%s\n", field->label, isempty(v) ? "n/a" : v);
        }
        return ferror(f) ? -EIO : 0;
}
