/* SPDX-License-Identifier: GPL-2.0-only */
/* celld's Manager properties as cellctl shows them, as text and as JSON. */
#pragma once

#include <jansson.h>
#include <stdio.h>

/* The string properties of org.warden.cell1.Manager; NULL when celld did not send one. */
typedef struct ManagerStatus {
        char *hypervisor_state;
        char *module_version;
        char *hypervisor_version;
} ManagerStatus;

typedef struct ManagerStatusField {
        const char *property;   /* D-Bus property name */
        const char *json_key;
        const char *label;      /* for humans */
        size_t offset;          /* of the char * in ManagerStatus */
} ManagerStatusField;

/* The field that holds D-Bus property @property, or NULL if cellctl does not show it. */
const ManagerStatusField *manager_status_field(const char *property);
/* Takes over @value (free()able) as the value of @field. */
void manager_status_set(ManagerStatus *s, const ManagerStatusField *field, char *value);
void manager_status_done(ManagerStatus *s);

int manager_status_to_json(const ManagerStatus *s, json_t **ret);
int manager_status_print(const ManagerStatus *s, FILE *f);
