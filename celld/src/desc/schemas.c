/* SPDX-License-Identifier: GPL-2.0-only */
/* The schemas, as text compiled into the programs (see gen-schemas.sh). */
#include "schemas.h"

#include "schemas-data.inc"
