/* SPDX-License-Identifier: GPL-2.0-only */
/* celld's names on D-Bus: the contract between celld, cellctl, units and policy. */
#pragma once

#define CELLD_BUS_NAME "org.warden.cell1"
#define CELLD_OBJECT_PATH "/org/warden/cell1"
#define CELLD_MANAGER_INTERFACE "org.warden.cell1.Manager"

/* One object per cell: CELLD_CELL_PATH_PREFIX "/" and the name escaped by sd_bus_path_encode(). */
#define CELLD_CELL_PATH_PREFIX "/org/warden/cell1/cell"
#define CELLD_CELL_INTERFACE "org.warden.cell1.Cell"

/* Errors; each carries the diagnostic or the module's text. */
#define CELLD_ERROR_NO_SUCH_CELL "org.warden.cell1.Error.NoSuchCell"
#define CELLD_ERROR_INVALID_DESCRIPTION "org.warden.cell1.Error.InvalidDescription"
#define CELLD_ERROR_UNAVAILABLE "org.warden.cell1.Error.Unavailable"
#define CELLD_ERROR_REFUSED "org.warden.cell1.Error.Refused"
#define CELLD_ERROR_LOAD_FAILED "org.warden.cell1.Error.LoadFailed"
#define CELLD_ERROR_BUSY "org.warden.cell1.Error.Busy"
#define CELLD_ERROR_CANCELLED "org.warden.cell1.Error.Cancelled"
#define CELLD_ERROR_FAILED "org.warden.cell1.Error.Failed"
#define CELLD_ERROR_CONSOLE_BUSY "org.warden.cell1.Error.ConsoleBusy"
