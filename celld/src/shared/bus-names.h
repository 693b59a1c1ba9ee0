/* SPDX-License-Identifier: GPL-2.0-only */
/* celld's names on D-Bus: the contract between celld, cellctl, units and policy. */
#pragma once

#define CELLD_BUS_NAME "org.warden.cell1"
#define CELLD_OBJECT_PATH "/org/warden/cell1"
#define CELLD_MANAGER_INTERFACE "org.warden.cell1.Manager"
