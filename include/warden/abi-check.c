// SPDX-License-Identifier: (GPL-2.0-only WITH Linux-syscall-note) OR MIT
/*
 * Pins every size and field offset of the binary ABI shared by the hypervisor,
 * the module and user space. Compiled into all three builds (included by a
 * translation unit of each), so a layout change breaks the build everywhere
 * at once instead of corrupting data at run time.
 */
#include <warden/hypercall.h>

#ifndef offsetof
#define offsetof(t, m) __builtin_offsetof(t, m)
#endif

#define WARDEN_ABI_ASSERT(expr) _Static_assert(expr, #expr)

WARDEN_ABI_ASSERT(sizeof(struct warden_image_header) == 128);
WARDEN_ABI_ASSERT(offsetof(struct warden_image_header, magic) == 0);
WARDEN_ABI_ASSERT(offsetof(struct warden_image_header, abi) == 8);
WARDEN_ABI_ASSERT(offsetof(struct warden_image_header, header_size) == 12);
WARDEN_ABI_ASSERT(offsetof(struct warden_image_header, version) == 16);
WARDEN_ABI_ASSERT(offsetof(struct warden_image_header, image_size) == 48);
WARDEN_ABI_ASSERT(offsetof(struct warden_image_header, core_size) == 56);
WARDEN_ABI_ASSERT(offsetof(struct warden_image_header, entry) == 64);
WARDEN_ABI_ASSERT(offsetof(struct warden_image_header, vectors) == 72);
WARDEN_ABI_ASSERT(offsetof(struct warden_image_header, max_cpus) == 80);
WARDEN_ABI_ASSERT(offsetof(struct warden_image_header, online_cpus) == 84);
WARDEN_ABI_ASSERT(offsetof(struct warden_image_header, phys_base) == 88);
WARDEN_ABI_ASSERT(offsetof(struct warden_image_header, reserved) == 96);

WARDEN_ABI_ASSERT(sizeof(struct warden_boot_info) == 32 + 8 * WARDEN_BOOT_MAX_CPUS);
WARDEN_ABI_ASSERT(sizeof(struct warden_boot_info) <= WARDEN_BOOT_INFO_SIZE);
WARDEN_ABI_ASSERT(offsetof(struct warden_boot_info, stub_vectors) == 8);
WARDEN_ABI_ASSERT(offsetof(struct warden_boot_info, config_size) == 16);
WARDEN_ABI_ASSERT(offsetof(struct warden_boot_info, num_cpus) == 24);
WARDEN_ABI_ASSERT(offsetof(struct warden_boot_info, mpidr) == 32);

WARDEN_ABI_ASSERT(sizeof(struct warden_cell_load) == 32);
WARDEN_ABI_ASSERT(offsetof(struct warden_cell_load, data) == 24);
WARDEN_ABI_ASSERT(sizeof(struct warden_cell_fault) == 32);
WARDEN_ABI_ASSERT(sizeof(struct warden_cell_info) == 72 + 32 + 32 + 32);
WARDEN_ABI_ASSERT(offsetof(struct warden_cell_info, fault) == 72);
WARDEN_ABI_ASSERT(offsetof(struct warden_cell_info, name) == 104);
WARDEN_ABI_ASSERT(sizeof(struct warden_comm_page) == 64);
WARDEN_ABI_ASSERT(offsetof(struct warden_comm_page, heartbeat) == 8);

WARDEN_ABI_ASSERT(sizeof(struct warden_hv_error) == 128);
WARDEN_ABI_ASSERT(offsetof(struct warden_hv_error, value) == 16);
WARDEN_ABI_ASSERT(offsetof(struct warden_hv_error, what) == 24);

WARDEN_ABI_ASSERT(offsetof(struct warden_hv_info, cpus_enabled) == 8);
WARDEN_ABI_ASSERT(offsetof(struct warden_hv_info, pool_pages) == 16);
WARDEN_ABI_ASSERT(offsetof(struct warden_hv_info, num_cells) == 40);
WARDEN_ABI_ASSERT(offsetof(struct warden_hv_info, console_head) == 48);
WARDEN_ABI_ASSERT(offsetof(struct warden_hv_info, root_s2_tables) == 56);
WARDEN_ABI_ASSERT(offsetof(struct warden_hv_info, root_s2_bytes) == 88);
WARDEN_ABI_ASSERT(offsetof(struct warden_hv_info, fatal_cpus) == 96);
WARDEN_ABI_ASSERT(offsetof(struct warden_hv_info, quarantined_cpus) == 104);
WARDEN_ABI_ASSERT(offsetof(struct warden_hv_info, exits) == 136);
WARDEN_ABI_ASSERT(sizeof(struct warden_hv_info) == 136 + 8 * WARDEN_BOOT_MAX_CPUS * WARDEN_EXIT_MAX);

#include <warden/config.h>

WARDEN_ABI_ASSERT(sizeof(struct warden_config_header) == 64);
WARDEN_ABI_ASSERT(offsetof(struct warden_config_header, magic) == 0);
WARDEN_ABI_ASSERT(offsetof(struct warden_config_header, revision) == 8);
WARDEN_ABI_ASSERT(offsetof(struct warden_config_header, kind) == 12);
WARDEN_ABI_ASSERT(offsetof(struct warden_config_header, total_size) == 16);
WARDEN_ABI_ASSERT(offsetof(struct warden_config_header, reserved0) == 20);
WARDEN_ABI_ASSERT(offsetof(struct warden_config_header, name) == 24);
WARDEN_ABI_ASSERT(offsetof(struct warden_config_header, reserved) == 56);

WARDEN_ABI_ASSERT(sizeof(struct warden_region) == 64);
WARDEN_ABI_ASSERT(offsetof(struct warden_region, phys_start) == 0);
WARDEN_ABI_ASSERT(offsetof(struct warden_region, virt_start) == 8);
WARDEN_ABI_ASSERT(offsetof(struct warden_region, size) == 16);
WARDEN_ABI_ASSERT(offsetof(struct warden_region, flags) == 24);
WARDEN_ABI_ASSERT(offsetof(struct warden_region, reserved) == 28);
WARDEN_ABI_ASSERT(offsetof(struct warden_region, name) == 32);

WARDEN_ABI_ASSERT(sizeof(struct warden_cell) == 64);
WARDEN_ABI_ASSERT(offsetof(struct warden_cell, cpu_set) == 0);
WARDEN_ABI_ASSERT(offsetof(struct warden_cell, entry) == 8);
WARDEN_ABI_ASSERT(offsetof(struct warden_cell, flags) == 16);
WARDEN_ABI_ASSERT(offsetof(struct warden_cell, num_regions) == 20);
WARDEN_ABI_ASSERT(offsetof(struct warden_cell, num_irqs) == 24);
WARDEN_ABI_ASSERT(offsetof(struct warden_cell, uart_irq) == 28);
WARDEN_ABI_ASSERT(offsetof(struct warden_cell, entry_arg) == 32);
WARDEN_ABI_ASSERT(offsetof(struct warden_cell, uart_base) == 40);
WARDEN_ABI_ASSERT(offsetof(struct warden_cell, button_base) == 48);
WARDEN_ABI_ASSERT(offsetof(struct warden_cell, button_irq) == 56);
WARDEN_ABI_ASSERT(offsetof(struct warden_cell, reserved) == 60);

WARDEN_ABI_ASSERT(sizeof(struct warden_system) == 104);
WARDEN_ABI_ASSERT(offsetof(struct warden_system, cpu_set) == 0);
WARDEN_ABI_ASSERT(offsetof(struct warden_system, gicd_base) == 8);
WARDEN_ABI_ASSERT(offsetof(struct warden_system, gicr_base) == 16);
WARDEN_ABI_ASSERT(offsetof(struct warden_system, uart_base) == 24);
WARDEN_ABI_ASSERT(offsetof(struct warden_system, hv_mem_base) == 32);
WARDEN_ABI_ASSERT(offsetof(struct warden_system, hv_mem_size) == 40);
WARDEN_ABI_ASSERT(offsetof(struct warden_system, gic_version) == 48);
WARDEN_ABI_ASSERT(offsetof(struct warden_system, uart_type) == 52);
WARDEN_ABI_ASSERT(offsetof(struct warden_system, uart_irq) == 56);
WARDEN_ABI_ASSERT(offsetof(struct warden_system, num_ram) == 60);
WARDEN_ABI_ASSERT(offsetof(struct warden_system, event_irq) == 64);
WARDEN_ABI_ASSERT(offsetof(struct warden_system, reserved0) == 68);
WARDEN_ABI_ASSERT(offsetof(struct warden_system, reserved) == 72);
WARDEN_ABI_ASSERT(offsetof(struct warden_system, gicc_base) == 80);
WARDEN_ABI_ASSERT(offsetof(struct warden_system, gich_base) == 88);
WARDEN_ABI_ASSERT(offsetof(struct warden_system, gicv_base) == 96);

WARDEN_ABI_ASSERT(sizeof(struct warden_image) == 16);
WARDEN_ABI_ASSERT(offsetof(struct warden_image, region) == 0);
WARDEN_ABI_ASSERT(offsetof(struct warden_image, path_offset) == 4);
WARDEN_ABI_ASSERT(offsetof(struct warden_image, offset) == 8);

WARDEN_ABI_ASSERT(sizeof(struct warden_policy) == 64);
WARDEN_ABI_ASSERT(offsetof(struct warden_policy, restart) == 0);
WARDEN_ABI_ASSERT(offsetof(struct warden_policy, restart_burst) == 4);
WARDEN_ABI_ASSERT(offsetof(struct warden_policy, restart_interval_ms) == 8);
WARDEN_ABI_ASSERT(offsetof(struct warden_policy, delay_initial_ms) == 12);
WARDEN_ABI_ASSERT(offsetof(struct warden_policy, delay_max_ms) == 16);
WARDEN_ABI_ASSERT(offsetof(struct warden_policy, shutdown_timeout_ms) == 20);
WARDEN_ABI_ASSERT(offsetof(struct warden_policy, watchdog_ms) == 24);
WARDEN_ABI_ASSERT(offsetof(struct warden_policy, flags) == 28);
WARDEN_ABI_ASSERT(offsetof(struct warden_policy, num_images) == 32);
WARDEN_ABI_ASSERT(offsetof(struct warden_policy, strings_size) == 36);
WARDEN_ABI_ASSERT(offsetof(struct warden_policy, reserved0) == 40);
WARDEN_ABI_ASSERT(offsetof(struct warden_policy, reserved1) == 44);
WARDEN_ABI_ASSERT(offsetof(struct warden_policy, reserved) == 48);
