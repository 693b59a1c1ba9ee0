/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * What the running machine says about itself, read from a root directory: the device tree
 * (sys/firmware/devicetree/base), /proc/iomem, /proc/cmdline, the CPUs in sysfs, the kernel
 * log. `warden hardware check` and `warden config create` read it; the unit tests point the
 * root at trees captured from the emulated machine (tests/hw/capture).
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#ifndef MIN
#define MIN(a, b) ((a) < (b) ? (a) : (b))
#endif
#ifndef MAX
#define MAX(a, b) ((a) > (b) ? (a) : (b))
#endif

typedef struct DtProp {
        char *name;
        uint8_t *data;
        size_t size;
} DtProp;

typedef struct DtNode {
        char *name;                     /* "pl011@9000000"; "" for the root */
        char *path;                     /* "/pl011@9000000"; "/" for the root */
        struct DtNode *parent;
        DtProp *props;
        size_t n_props;
        struct DtNode **children;       /* sorted by name */
        size_t n_children;
} DtNode;

typedef struct HwRange {
        uint64_t base;
        uint64_t size;
} HwRange;

typedef struct HwRanges {
        HwRange *items;
        size_t n;
} HwRanges;

/* A top-level line of /proc/iomem. */
typedef struct HwIomem {
        uint64_t base;
        uint64_t size;
        char *name;
} HwIomem;

/* One of Linux's possible CPUs. */
typedef struct HwCpu {
        unsigned number;                /* Linux's CPU number */
        const DtNode *node;             /* its /cpus node (of_node), or NULL */
        uint64_t mpidr;                 /* the node's reg; UINT64_MAX when unknown */
        uint64_t midr;                  /* regs/identification/midr_el1; 0 when unknown */
} HwCpu;

/* The GIC's kind, as its device tree node says. */
typedef enum HwGicKind {
        HW_GIC_NONE,
        HW_GIC_V3,
        HW_GIC_V2,                      /* with the virtualization extensions: four reg entries */
        HW_GIC_V2_NO_VIRT,              /* GICv2 whose node lists no GICH and GICV */
        HW_GIC_UNKNOWN,                 /* an interrupt controller at the root that is none of those */
} HwGicKind;

typedef struct HwMachine {
        char *root;                     /* the directory prefix, "/" on the machine itself */
        DtNode *dt;                     /* NULL: no device tree */
        char *cmdline;                  /* NULL: unreadable */
        char *kernel_log;               /* NULL: unreadable (kernel_log_error says why) */
        int kernel_log_error;
        HwIomem *iomem;
        size_t n_iomem;
        bool iomem_read;
        HwRanges system_ram;            /* "System RAM" lines of /proc/iomem, merged */
        HwRanges dt_memory;             /* reg of the device_type = "memory" nodes, merged */
        HwCpu *cpus;                    /* Linux's possible CPUs */
        size_t n_cpus;
        size_t n_dt_cpus;               /* device_type = "cpu" nodes under /cpus */
        bool dev_kvm;                   /* /dev/kvm exists: KVM initialised and owns EL2 */
        bool module_kvm;                /* /sys/module/kvm */
        bool module_warden;             /* /sys/module/warden: warden.ko is loaded */
        const DtNode *gic;
        HwGicKind gic_kind;
} HwMachine;

/*
 * Reads everything the checks and the generator use from @root ("/" for this machine). The
 * kernel log comes from the kernel's ring buffer when @root is "/", otherwise from
 * ROOT/kernel.log (captured with dmesg). Missing pieces are left empty for the callers to
 * report; only an allocation failure is an error.
 */
int hw_machine_load(const char *root, HwMachine **ret);
HwMachine *hw_machine_free(HwMachine *m);
static inline void hw_machine_freep(HwMachine **m) {
        hw_machine_free(*m);
}

/* Device tree access. */
const DtNode *dt_find(const DtNode *root, const char *path);
const DtProp *dt_prop(const DtNode *n, const char *name);
/* The property as a string (NUL-terminated in the tree), or NULL. */
const char *dt_prop_str(const DtNode *n, const char *name);
bool dt_is_compatible(const DtNode *n, const char *compatible);
bool dt_prop_u32(const DtNode *n, const char *name, uint32_t *ret);
/* status absent, "okay" or "ok". */
bool dt_is_enabled(const DtNode *n);
/* Entry @i of @n's reg as a CPU physical address (translated through the buses' ranges). */
bool dt_reg(const DtNode *n, size_t i, uint64_t *ret_base, uint64_t *ret_size);
size_t dt_reg_count(const DtNode *n);
const DtNode *dt_find_phandle(const DtNode *root, uint32_t phandle);

/*
 * The shared peripheral interrupts (INTIDs 32-1019) the GIC delivers for @n: its interrupts
 * and interrupts-extended entries whose controller is @gic, and, for an interrupt nexus
 * (PCIe host bridges), the GIC entries of its interrupt-map. Appended to @irqs (a bitmap of
 * 1020 bits). Returns how many were found.
 */
size_t dt_node_spis(const DtNode *root, const DtNode *gic, const DtNode *n, uint64_t irqs[static 16]);

/* Range lists */
int hw_ranges_add(HwRanges *r, uint64_t base, uint64_t size);
/* Sorts and merges overlapping and touching ranges. */
void hw_ranges_merge(HwRanges *r);
/* @r minus @minus (both merged), into @ret. */
int hw_ranges_subtract(const HwRanges *r, const HwRanges *minus, HwRanges *ret);
void hw_ranges_done(HwRanges *r);

/* The kernel log holds @needle. false when it does or could not be read. */
bool hw_log_has(const HwMachine *m, const char *needle);
/* The value of WORD= on the kernel command line (the last one), or NULL. Allocated. */
char *hw_cmdline_value(const HwMachine *m, const char *word);

/* Physical address bits of a CPU by its MIDR (part number), 0 when the table does not know it. */
unsigned hw_midr_pa_bits(uint64_t midr, const char **ret_name);

/* The GIC's frames from its reg: distributor, then redistributors (v3) or GICC, GICH, GICV (v2). */
bool hw_gic_frame(const HwMachine *m, size_t i, uint64_t *ret_base, uint64_t *ret_size);

/* Largest free RAM range: in a /memory node, not System RAM, not another reserved-memory node. */
bool hw_carveout(const HwMachine *m, HwRange *ret);

/* The hypervisor's build limit (hypervisor/Makefile MAX_CPUS). */
#define HW_MAX_CPUS 8
/* Size the generator gives the hypervisor; the least the carve-out must hold. */
#define HW_HV_MEMORY (16ULL << 20)
#define HW_HV_MEMORY_MIN (4ULL << 20)
