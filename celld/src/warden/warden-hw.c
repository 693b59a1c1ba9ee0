/* SPDX-License-Identifier: GPL-2.0-only */
/* The running machine's description of itself, read from a root directory (warden-hw.h). */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/klog.h>
#include <sys/stat.h>
#include <unistd.h>

#include "log.h"
#include "macro.h"
#include "warden-hw.h"

#define HW_DT_DIR "sys/firmware/devicetree/base"

static void closedirp(DIR **d) {
        if (*d)
                closedir(*d);
}

static void *mfree(void *p) {
        free(p);
        return NULL;
}

static char *root_path(const char *root, const char *rel) {
        char *p;

        if (asprintf(&p, "%s%s%s", root, streq(root, "/") ? "" : "/", rel) < 0)
                return NULL;
        return p;
}

/* Reads a whole file; 0 with the contents NUL-terminated, or a negative errno. */
static int read_full(const char *path, char **ret, size_t *ret_size) {
        _cleanup_fclose_ FILE *f = NULL;
        char *buf = NULL;
        size_t n = 0, cap = 0;

        f = fopen(path, "re");
        if (!f)
                return -errno;
        for (;;) {
                size_t k;

                if (cap - n < 4096) {
                        char *p = realloc(buf, cap + 65536);

                        if (!p) {
                                free(buf);
                                return -ENOMEM;
                        }
                        buf = p;
                        cap += 65536;
                }
                k = fread(buf + n, 1, cap - n - 1, f);
                n += k;
                if (k == 0)
                        break;
        }
        if (ferror(f)) {
                free(buf);
                return -EIO;
        }
        buf[n] = '\0';
        *ret = buf;
        if (ret_size)
                *ret_size = n;
        return 0;
}

static int read_root_file(const HwMachine *m, const char *rel, char **ret) {
        _cleanup_free_ char *p = root_path(m->root, rel);

        if (!p)
                return -ENOMEM;
        return read_full(p, ret, NULL);
}

static bool root_exists(const HwMachine *m, const char *rel) {
        _cleanup_free_ char *p = root_path(m->root, rel);

        return p && access(p, F_OK) == 0;
}

/* --- device tree --- */

static void dt_free(DtNode *n) {
        if (!n)
                return;
        for (size_t i = 0; i < n->n_props; i++) {
                free(n->props[i].name);
                free(n->props[i].data);
        }
        for (size_t i = 0; i < n->n_children; i++)
                dt_free(n->children[i]);
        free(n->props);
        free(n->children);
        free(n->name);
        free(n->path);
        free(n);
}

static int cmp_node(const void *a, const void *b) {
        return strcmp((*(DtNode *const *) a)->name, (*(DtNode *const *) b)->name);
}

static int dt_load(const char *dir, const char *name, DtNode *parent, DtNode **ret) {
        _cleanup_(closedirp) DIR *d = NULL;
        DtNode *n;
        struct dirent *de;
        int r = 0;

        d = opendir(dir);
        if (!d)
                return -errno;
        n = calloc(1, sizeof(*n));
        if (!n)
                return -ENOMEM;
        n->parent = parent;
        n->name = strdup(name);
        if (!parent)
                n->path = strdup("/");
        else if (asprintf(&n->path, "%s%s%s", parent->path, streq(parent->path, "/") ? "" : "/", name) < 0)
                n->path = NULL;
        if (!n->name || !n->path) {
                dt_free(n);
                return -ENOMEM;
        }

        while ((de = readdir(d)) && r >= 0) {
                _cleanup_free_ char *p = NULL;
                struct stat st;

                if (streq(de->d_name, ".") || streq(de->d_name, ".."))
                        continue;
                if (asprintf(&p, "%s/%s", dir, de->d_name) < 0) {
                        r = -ENOMEM;
                        break;
                }
                if (lstat(p, &st) < 0)
                        continue;
                if (S_ISDIR(st.st_mode)) {
                        DtNode *c, **cs;

                        cs = realloc(n->children, (n->n_children + 1) * sizeof(*cs));
                        if (!cs) {
                                r = -ENOMEM;
                                break;
                        }
                        n->children = cs;
                        r = dt_load(p, de->d_name, n, &c);
                        if (r >= 0)
                                n->children[n->n_children++] = c;
                } else if (S_ISREG(st.st_mode)) {
                        DtProp *ps;
                        char *data;
                        size_t size;

                        ps = realloc(n->props, (n->n_props + 1) * sizeof(*ps));
                        if (!ps) {
                                r = -ENOMEM;
                                break;
                        }
                        n->props = ps;
                        r = read_full(p, &data, &size);
                        if (r < 0)
                                break;
                        n->props[n->n_props++] = (DtProp) {
                                .name = strdup(de->d_name), .data = (uint8_t *) data, .size = size,
                        };
                        if (!n->props[n->n_props - 1].name)
                                r = -ENOMEM;
                }
        }
        if (r < 0) {
                dt_free(n);
                return r;
        }
        if (n->n_children > 1)
                qsort(n->children, n->n_children, sizeof(*n->children), cmp_node);
        *ret = n;
        return 0;
}

const DtProp *dt_prop(const DtNode *n, const char *name) {
        for (size_t i = 0; n && i < n->n_props; i++)
                if (streq(n->props[i].name, name))
                        return &n->props[i];
        return NULL;
}

const char *dt_prop_str(const DtNode *n, const char *name) {
        const DtProp *p = dt_prop(n, name);

        if (!p || p->size == 0 || p->data[p->size - 1] != '\0')
                return NULL;
        return (const char *) p->data;
}

bool dt_is_compatible(const DtNode *n, const char *compatible) {
        const DtProp *p = dt_prop(n, "compatible");

        for (size_t i = 0; p && i < p->size; i += strlen((const char *) p->data + i) + 1)
                if (streq((const char *) p->data + i, compatible))
                        return true;
        return false;
}

static uint32_t be32(const uint8_t *p) {
        return (uint32_t) p[0] << 24 | (uint32_t) p[1] << 16 | (uint32_t) p[2] << 8 | p[3];
}

/* @n cells from @p as one number (at most two cells count). */
static uint64_t cells(const uint8_t *p, unsigned n) {
        uint64_t v = 0;

        for (unsigned i = 0; i < n; i++)
                v = v << 32 | be32(p + 4 * i);
        return v;
}

bool dt_prop_u32(const DtNode *n, const char *name, uint32_t *ret) {
        const DtProp *p = dt_prop(n, name);

        if (!p || p->size != 4)
                return false;
        *ret = be32(p->data);
        return true;
}

bool dt_is_enabled(const DtNode *n) {
        const char *s = dt_prop_str(n, "status");

        return !s || streq(s, "okay") || streq(s, "ok");
}

const DtNode *dt_find(const DtNode *root, const char *path) {
        const DtNode *n = root;

        while (n && *path) {
                const char *slash;
                size_t len;
                const DtNode *next = NULL;

                while (*path == '/')
                        path++;
                if (!*path)
                        break;
                slash = strchrnul(path, '/');
                len = (size_t) (slash - path);
                for (size_t i = 0; i < n->n_children && !next; i++) {
                        const char *c = n->children[i]->name;

                        /* "memory" finds "memory@40000000" when it is the only one. */
                        if (strncmp(c, path, len) == 0 && (c[len] == '\0' || (c[len] == '@' && !memchr(path, '@', len))))
                                next = n->children[i];
                }
                n = next;
                path = slash;
        }
        return n;
}

static const DtNode *dt_find_phandle_in(const DtNode *n, uint32_t phandle) {
        uint32_t v;

        if ((dt_prop_u32(n, "phandle", &v) || dt_prop_u32(n, "linux,phandle", &v)) && v == phandle)
                return n;
        for (size_t i = 0; i < n->n_children; i++) {
                const DtNode *f = dt_find_phandle_in(n->children[i], phandle);

                if (f)
                        return f;
        }
        return NULL;
}

const DtNode *dt_find_phandle(const DtNode *root, uint32_t phandle) {
        return root ? dt_find_phandle_in(root, phandle) : NULL;
}

static unsigned address_cells(const DtNode *bus) {
        uint32_t v;

        return bus && dt_prop_u32(bus, "#address-cells", &v) ? v : 2;
}

static unsigned size_cells(const DtNode *bus) {
        uint32_t v;

        return bus && dt_prop_u32(bus, "#size-cells", &v) ? v : 1;
}

size_t dt_reg_count(const DtNode *n) {
        const DtProp *p = dt_prop(n, "reg");
        unsigned entry = 4 * (address_cells(n->parent) + size_cells(n->parent));

        return p && entry ? p->size / entry : 0;
}

/* Translates @addr on @bus's child address space to the CPU's: false when a bus has no window for it. */
static bool translate(const DtNode *bus, uint64_t addr, uint64_t *ret) {
        for (; bus && bus->parent; bus = bus->parent) {
                const DtProp *r = dt_prop(bus, "ranges");
                unsigned ca = address_cells(bus), pa = address_cells(bus->parent), sc = size_cells(bus);
                size_t entry = 4 * (ca + pa + sc);
                bool found = false;

                if (!r || ca > 2 || pa > 2 || sc > 2)
                        return false;
                if (r->size == 0)
                        continue;       /* empty ranges: 1:1 */
                for (size_t off = 0; off + entry <= r->size && !found; off += entry) {
                        uint64_t cb = cells(r->data + off, ca), pb = cells(r->data + off + 4 * ca, pa);
                        uint64_t sz = cells(r->data + off + 4 * (ca + pa), sc);

                        if (addr >= cb && addr - cb < sz) {
                                addr = pb + (addr - cb);
                                found = true;
                        }
                }
                if (!found)
                        return false;
        }
        *ret = addr;
        return true;
}

bool dt_reg(const DtNode *n, size_t i, uint64_t *ret_base, uint64_t *ret_size) {
        const DtProp *p = dt_prop(n, "reg");
        unsigned ac = address_cells(n->parent), sc = size_cells(n->parent);
        size_t entry = 4 * (ac + sc);

        if (!p || ac == 0 || ac > 2 || sc > 2 || (i + 1) * entry > p->size)
                return false;
        *ret_size = sc ? cells(p->data + i * entry + 4 * ac, sc) : 0;
        return translate(n->parent, cells(p->data + i * entry, ac), ret_base);
}

static const DtNode *interrupt_parent(const DtNode *root, const DtNode *n) {
        for (; n; n = n->parent) {
                uint32_t ph;

                if (dt_prop_u32(n, "interrupt-parent", &ph))
                        return dt_find_phandle(root, ph);
        }
        return NULL;
}

static unsigned interrupt_cells(const DtNode *n) {
        uint32_t v;

        return n && dt_prop_u32(n, "#interrupt-cells", &v) ? v : 0;
}

/* A GIC interrupt specifier <type number flags>: its SPI into @irqs. */
static size_t gic_spi(const uint8_t *spec, unsigned n_cells, uint64_t irqs[static 16]) {
        uint32_t type, intid;

        if (n_cells < 2)
                return 0;
        type = be32(spec);
        intid = be32(spec + 4) + 32;
        if (type != 0 || intid > 1019)
                return 0;       /* PPIs (type 1) and extended ranges are not SPIs */
        irqs[intid / 64] |= 1ULL << (intid % 64);
        return 1;
}

size_t dt_node_spis(const DtNode *root, const DtNode *gic, const DtNode *n, uint64_t irqs[static 16]) {
        const DtProp *p;
        size_t found = 0;

        p = dt_prop(n, "interrupts");
        if (p && interrupt_parent(root, n) == gic) {
                unsigned ic = interrupt_cells(gic);

                for (size_t off = 0; ic && off + 4 * ic <= p->size; off += 4 * ic)
                        found += gic_spi(p->data + off, ic, irqs);
        }

        p = dt_prop(n, "interrupts-extended");
        for (size_t off = 0; p && off + 4 <= p->size;) {
                const DtNode *ctl = dt_find_phandle(root, be32(p->data + off));
                unsigned ic = interrupt_cells(ctl);

                if (!ctl || off + 4 + 4 * ic > p->size)
                        break;
                if (ctl == gic)
                        found += gic_spi(p->data + off + 4, ic, irqs);
                off += 4 + 4 * ic;
        }

        /* interrupt-map: child unit address, child specifier, parent phandle, parent unit address, parent specifier. */
        p = dt_prop(n, "interrupt-map");
        if (p) {
                unsigned ca = address_cells(n), ci = interrupt_cells(n);

                for (size_t off = 0; off + 4 * (ca + ci + 1) <= p->size;) {
                        const DtNode *ctl;
                        uint32_t pac = 0;
                        unsigned pic;

                        off += 4 * (ca + ci);
                        ctl = dt_find_phandle(root, be32(p->data + off));
                        off += 4;
                        if (!ctl)
                                break;
                        (void) dt_prop_u32(ctl, "#address-cells", &pac);
                        pic = interrupt_cells(ctl);
                        if (off + 4 * (pac + pic) > p->size)
                                break;
                        if (ctl == gic)
                                found += gic_spi(p->data + off + 4 * pac, pic, irqs);
                        off += 4 * (pac + pic);
                }
        }
        return found;
}

/* --- ranges --- */

int hw_ranges_add(HwRanges *r, uint64_t base, uint64_t size) {
        HwRange *p;

        if (size == 0)
                return 0;
        p = realloc(r->items, (r->n + 1) * sizeof(*p));
        if (!p)
                return -ENOMEM;
        r->items = p;
        r->items[r->n++] = (HwRange) { base, size };
        return 0;
}

static int cmp_range(const void *a, const void *b) {
        const HwRange *x = a, *y = b;

        return x->base < y->base ? -1 : x->base > y->base;
}

void hw_ranges_merge(HwRanges *r) {
        size_t k = 0;

        if (r->n > 1)
                qsort(r->items, r->n, sizeof(*r->items), cmp_range);
        for (size_t i = 0; i < r->n; i++) {
                HwRange *last = k ? &r->items[k - 1] : NULL;

                if (last && r->items[i].base <= last->base + last->size) {
                        uint64_t end = MAX(last->base + last->size, r->items[i].base + r->items[i].size);

                        last->size = end - last->base;
                } else
                        r->items[k++] = r->items[i];
        }
        r->n = k;
}

int hw_ranges_subtract(const HwRanges *r, const HwRanges *minus, HwRanges *ret) {
        HwRanges out = {};

        for (size_t i = 0; i < r->n; i++) {
                uint64_t cur = r->items[i].base, end = r->items[i].base + r->items[i].size;

                for (size_t j = 0; j < minus->n && cur < end; j++) {
                        uint64_t mb = minus->items[j].base, me = mb + minus->items[j].size;

                        if (me <= cur || mb >= end)
                                continue;
                        if (mb > cur && hw_ranges_add(&out, cur, mb - cur) < 0)
                                goto oom;
                        cur = MAX(cur, me);
                }
                if (cur < end && hw_ranges_add(&out, cur, end - cur) < 0)
                        goto oom;
        }
        *ret = out;
        return 0;
oom:
        hw_ranges_done(&out);
        return -ENOMEM;
}

void hw_ranges_done(HwRanges *r) {
        free(r->items);
        *r = (HwRanges) {};
}

/* --- the machine --- */

static int parse_iomem(HwMachine *m, const char *text) {
        for (const char *line = text; *line; line = strchrnul(line, '\n'), line += !!*line) {
                unsigned long long a, b;
                int name_at = 0;
                HwIomem *p;

                /* Nested lines are indented; only the top level counts here. */
                if (*line == ' ' || sscanf(line, "%llx-%llx : %n", &a, &b, &name_at) < 2 || !name_at || b < a)
                        continue;
                p = realloc(m->iomem, (m->n_iomem + 1) * sizeof(*p));
                if (!p)
                        return -ENOMEM;
                m->iomem = p;
                p[m->n_iomem] = (HwIomem) { .base = a, .size = b - a + 1 };
                p[m->n_iomem].name = strndup(line + name_at, strcspn(line + name_at, "\n"));
                if (!p[m->n_iomem++].name)
                        return -ENOMEM;
                if (streq(p[m->n_iomem - 1].name, "System RAM") && hw_ranges_add(&m->system_ram, a, b - a + 1) < 0)
                        return -ENOMEM;
        }
        hw_ranges_merge(&m->system_ram);
        return 0;
}

/* Parses a CPU list ("0-3,5") into a bitmap of 64 CPUs; false when malformed. */
static bool parse_cpu_list(const char *s, uint64_t *ret) {
        uint64_t set = 0;

        while (*s && *s != '\n') {
                char *end;
                unsigned long a = strtoul(s, &end, 10), b = a;

                if (end == s)
                        return false;
                if (*end == '-')
                        b = strtoul(end + 1, &end, 10);
                if (a > b || b >= 64)
                        return false;
                for (unsigned long i = a; i <= b; i++)
                        set |= 1ULL << i;
                s = end + (*end == ',');
        }
        *ret = set;
        return true;
}

static const DtNode *cpu_of_node(const HwMachine *m, unsigned cpu) {
        _cleanup_free_ char *rel = NULL, *p = NULL;
        char target[512];
        const char *at;
        ssize_t n;

        if (asprintf(&rel, "sys/devices/system/cpu/cpu%u/of_node", cpu) < 0 || !(p = root_path(m->root, rel)))
                return NULL;
        n = readlink(p, target, sizeof(target) - 1);
        if (n < 0)
                return NULL;
        target[n] = '\0';
        at = strstr(target, "devicetree/base");
        if (!at)
                return NULL;
        at += strlen("devicetree/base");
        return dt_find(m->dt, *at ? at : "/");
}

static int load_cpus(HwMachine *m) {
        _cleanup_free_ char *possible = NULL;
        const DtNode *cpus = dt_find(m->dt, "/cpus");
        uint64_t set = 0;

        for (size_t i = 0; cpus && i < cpus->n_children; i++) {
                const char *t = dt_prop_str(cpus->children[i], "device_type");

                if (t && streq(t, "cpu"))
                        m->n_dt_cpus++;
        }

        if (read_root_file(m, "sys/devices/system/cpu/possible", &possible) < 0 || !parse_cpu_list(possible, &set))
                return 0;
        m->cpus = calloc(64, sizeof(*m->cpus));
        if (!m->cpus)
                return -ENOMEM;
        for (unsigned c = 0; c < 64; c++) {
                _cleanup_free_ char *rel = NULL, *midr = NULL;
                HwCpu *cpu;
                const DtProp *reg;

                if (!(set & (1ULL << c)))
                        continue;
                cpu = &m->cpus[m->n_cpus++];
                *cpu = (HwCpu) { .number = c, .mpidr = UINT64_MAX };
                cpu->node = cpu_of_node(m, c);
                reg = dt_prop(cpu->node, "reg");
                if (reg && (reg->size == 4 || reg->size == 8))
                        cpu->mpidr = cells(reg->data, (unsigned) reg->size / 4);
                if (asprintf(&rel, "sys/devices/system/cpu/cpu%u/regs/identification/midr_el1", c) < 0)
                        return -ENOMEM;
                if (read_root_file(m, rel, &midr) >= 0)
                        cpu->midr = strtoull(midr, NULL, 16);
        }
        return 0;
}

static const char *const gic_v2_compatibles[] = {
        "arm,gic-400", "arm,cortex-a15-gic", "arm,cortex-a7-gic", "arm,cortex-a9-gic", "arm,arm11mp-gic",
        "arm,cortex-a5-gic", "arm,arm1176jzf-devchip-gic", "arm,eb11mp-gic", "arm,pl390", "arm,tc11mp-gic",
        "qcom,msm-8660-qgic", "qcom,msm-qgic2", NULL,
};

/* The root interrupt controller: the GIC the CPUs' interrupts come from. */
static void find_gic(HwMachine *m, const DtNode *n) {
        if (m->gic)
                return;
        if (dt_prop(n, "interrupt-controller") && dt_is_enabled(n) && !dt_prop(n, "interrupts-extended")) {
                if (dt_is_compatible(n, "arm,gic-v3")) {
                        m->gic = n;
                        m->gic_kind = HW_GIC_V3;
                        return;
                }
                for (const char *const *c = gic_v2_compatibles; *c; c++)
                        if (dt_is_compatible(n, *c)) {
                                m->gic = n;
                                m->gic_kind = dt_reg_count(n) >= 4 ? HW_GIC_V2 : HW_GIC_V2_NO_VIRT;
                                return;
                        }
        }
        for (size_t i = 0; i < n->n_children; i++)
                find_gic(m, n->children[i]);
}

static void load_kernel_log(HwMachine *m) {
        int size;

        if (!streq(m->root, "/")) {
                m->kernel_log_error = read_root_file(m, "kernel.log", &m->kernel_log);
                return;
        }
        size = klogctl(10 /* SYSLOG_ACTION_SIZE_BUFFER */, NULL, 0);
        if (size > 0 && (m->kernel_log = malloc((size_t) size + 1))) {
                int n = klogctl(3 /* SYSLOG_ACTION_READ_ALL */, m->kernel_log, size);

                if (n >= 0) {
                        m->kernel_log[n] = '\0';
                        return;
                }
                m->kernel_log_error = -errno;
                m->kernel_log = mfree(m->kernel_log);
                return;
        }
        m->kernel_log_error = size < 0 ? -errno : -ENOMEM;
}

int hw_machine_load(const char *root, HwMachine **ret) {
        _cleanup_(hw_machine_freep) HwMachine *m = NULL;
        _cleanup_free_ char *dt_dir = NULL, *iomem = NULL;
        const DtNode *mem_parent;
        int r;

        m = calloc(1, sizeof(*m));
        if (!m || !(m->root = strdup(root)) || !(dt_dir = root_path(root, HW_DT_DIR)))
                return -ENOMEM;

        r = dt_load(dt_dir, "", NULL, &m->dt);
        if (r == -ENOMEM)
                return r;
        if (read_root_file(m, "proc/cmdline", &m->cmdline) < 0)
                m->cmdline = NULL;
        r = read_root_file(m, "proc/iomem", &iomem);
        if (r == -ENOMEM)
                return r;
        m->iomem_read = r >= 0;
        if (r >= 0 && parse_iomem(m, iomem) < 0)
                return -ENOMEM;
        load_kernel_log(m);
        if (m->kernel_log_error == -ENOMEM)
                return -ENOMEM;
        m->dev_kvm = root_exists(m, "dev/kvm");
        m->module_kvm = root_exists(m, "sys/module/kvm");
        m->module_warden = root_exists(m, "sys/module/warden");

        if (m->dt) {
                mem_parent = m->dt;
                for (size_t i = 0; i < mem_parent->n_children; i++) {
                        const DtNode *n = mem_parent->children[i];
                        const char *t = dt_prop_str(n, "device_type");

                        if (!t || !streq(t, "memory") || !dt_is_enabled(n))
                                continue;
                        for (size_t k = 0; k < dt_reg_count(n); k++) {
                                uint64_t b, s;

                                if (dt_reg(n, k, &b, &s) && hw_ranges_add(&m->dt_memory, b, s) < 0)
                                        return -ENOMEM;
                        }
                }
                hw_ranges_merge(&m->dt_memory);
                find_gic(m, m->dt);
                if (!m->gic) {
                        /* An interrupt controller the tables do not know, for the message. */
                        const DtNode *ip = interrupt_parent(m->dt, m->dt);

                        if (ip)
                                m->gic_kind = HW_GIC_UNKNOWN, m->gic = ip;
                }
        }
        r = load_cpus(m);
        if (r < 0)
                return r;

        *ret = TAKE_PTR(m);
        return 0;
}

HwMachine *hw_machine_free(HwMachine *m) {
        if (!m)
                return NULL;
        dt_free(m->dt);
        for (size_t i = 0; i < m->n_iomem; i++)
                free(m->iomem[i].name);
        free(m->iomem);
        hw_ranges_done(&m->system_ram);
        hw_ranges_done(&m->dt_memory);
        free(m->cpus);
        free(m->cmdline);
        free(m->kernel_log);
        free(m->root);
        return mfree(m);
}

bool hw_log_has(const HwMachine *m, const char *needle) {
        return m->kernel_log && strstr(m->kernel_log, needle);
}

char *hw_cmdline_value(const HwMachine *m, const char *word) {
        size_t len = strlen(word);
        const char *found = NULL;

        for (const char *p = m->cmdline; p && *p;) {
                p += strspn(p, " \t\n");
                if (strncmp(p, word, len) == 0 && p[len] == '=')
                        found = p + len + 1;
                p += strcspn(p, " \t\n");
        }
        return found ? strndup(found, strcspn(found, " \t\n")) : NULL;
}

/*
 * Physical address ranges of Arm cores (their technical reference manuals; docs/porting.md).
 * Linux does not show ID_AA64MMFR0_EL1.PARange to user space, so the part number stands in.
 */
static const struct {
        uint16_t part;
        uint8_t bits;
        const char *name;
} arm_parts[] = {
        { 0xd03, 40, "Cortex-A53" },
        { 0xd05, 40, "Cortex-A55" },
        { 0xd07, 44, "Cortex-A57" },
        { 0xd08, 44, "Cortex-A72" },
        { 0xd0b, 40, "Cortex-A76" },
};

unsigned hw_midr_pa_bits(uint64_t midr, const char **ret_name) {
        unsigned implementer = (midr >> 24) & 0xff, part = (midr >> 4) & 0xfff;

        if (implementer == 0x41)
                for (size_t i = 0; i < ELEMENTSOF(arm_parts); i++)
                        if (arm_parts[i].part == part) {
                                if (ret_name)
                                        *ret_name = arm_parts[i].name;
                                return arm_parts[i].bits;
                        }
        return 0;
}

bool hw_gic_frame(const HwMachine *m, size_t i, uint64_t *ret_base, uint64_t *ret_size) {
        if (!m->gic || !IN_SET(m->gic_kind, HW_GIC_V3, HW_GIC_V2))
                return false;
        return dt_reg(m->gic, i, ret_base, ret_size);
}

bool hw_carveout(const HwMachine *m, HwRange *ret) {
        HwRanges used = {}, free_ranges = {};
        const DtNode *rsv = dt_find(m->dt, "/reserved-memory");
        bool found = false;

        if (!m->iomem_read || m->dt_memory.n == 0)
                return false;
        for (size_t i = 0; i < m->system_ram.n; i++)
                (void) hw_ranges_add(&used, m->system_ram.items[i].base, m->system_ram.items[i].size);
        /* Firmware's reserved memory is not free; a node named warden@... is the carve-out itself. */
        for (size_t i = 0; rsv && i < rsv->n_children; i++) {
                const DtNode *n = rsv->children[i];

                if (strncmp(n->name, "warden", 6) == 0)
                        continue;
                for (size_t k = 0; k < dt_reg_count(n); k++) {
                        uint64_t b, s;

                        if (dt_reg(n, k, &b, &s))
                                (void) hw_ranges_add(&used, b, s);
                }
        }
        /* So is anything a driver claimed in /proc/iomem (not Linux's own "reserved"). */
        for (size_t i = 0; i < m->n_iomem; i++)
                if (!streq(m->iomem[i].name, "reserved") && !streq(m->iomem[i].name, "System RAM"))
                        (void) hw_ranges_add(&used, m->iomem[i].base, m->iomem[i].size);
        hw_ranges_merge(&used);
        if (hw_ranges_subtract(&m->dt_memory, &used, &free_ranges) >= 0)
                for (size_t i = 0; i < free_ranges.n; i++) {
                        /* Page aligned: 4 KiB. */
                        uint64_t b = (free_ranges.items[i].base + 0xfff) & ~0xfffULL;
                        uint64_t e = (free_ranges.items[i].base + free_ranges.items[i].size) & ~0xfffULL;

                        if (e > b && (!found || e - b > ret->size)) {
                                *ret = (HwRange) { b, e - b };
                                found = true;
                        }
                }
        hw_ranges_done(&used);
        hw_ranges_done(&free_ranges);
        return found;
}
