/* SPDX-License-Identifier: GPL-2.0-only */
/* jansson helpers shared by the CLIs. */
#pragma once

#include <jansson.h>
#include <stdio.h>

/* Prints @v with a trailing newline: indented on a terminal, one line otherwise. */
int json_print(const json_t *v, FILE *f);
/* Prints @v on one line, always: for streams of objects (JSON lines). */
int json_print_line(const json_t *v, FILE *f);

/* Sets @key of @obj to a new value that json_object_set_new() takes over; -ENOMEM on failure. */
int json_object_set_string(json_t *obj, const char *key, const char *value);
int json_object_set_integer(json_t *obj, const char *key, json_int_t value);
