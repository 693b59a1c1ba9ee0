/* SPDX-License-Identifier: GPL-2.0-only */
/* libFuzzer target for the YAML front end (the checks are in front-end.h). */
#define FUZZ_FILE "fuzz.yaml"
#define FUZZ_FORMAT DESC_FORMAT_YAML

#include "front-end.h"
