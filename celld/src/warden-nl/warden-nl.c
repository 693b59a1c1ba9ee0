/* SPDX-License-Identifier: GPL-2.0-only */
/* Client of warden.ko's generic netlink family: requests, replies, extack, events. */
#include <errno.h>
#include <netlink/genl/ctrl.h>
#include <netlink/genl/genl.h>
#include <netlink/netlink.h>
#include <stdint.h>
#include <sys/socket.h>

#include "warden-nl-internal.h"

#define EVENTS_BUFFER_SIZE (64 * 1024)
/* Send buffer of request sockets: an ENABLE carries up to WARDEN_GENL_SYSTEM_MAX bytes of blob. */
#define REQUEST_SNDBUF (128 * 1024)

DEFINE_TRIVIAL_CLEANUP_FUNC(struct nl_sock *, nl_socket_free);
DEFINE_TRIVIAL_CLEANUP_FUNC(struct nl_msg *, nlmsg_free);
DEFINE_TRIVIAL_CLEANUP_FUNC(struct nl_cb *, nl_cb_put);

struct WardenNl {
        struct nl_sock *sock;
        uint16_t family_id;             /* 0 until resolved */
        uint32_t events_group;
        char error[256];                /* why the last request failed, beyond its errno */
        bool no_autoload;               /* find the family without having the module loaded */
};

struct WardenEvents {
        struct nl_sock *sock;
        uint16_t family_id;             /* the module's family while it is loaded, else 0 */
        bool want_cells;                /* hand CELL_CHANGED to the handler */
        uint8_t buf[EVENTS_BUFFER_SIZE];
};

static const char *const warden_hv_state_table[] = {
        [WARDEN_HV_DISABLED] = "disabled",
        [WARDEN_HV_ENABLED] = "enabled",
        [WARDEN_HV_FAILED] = "failed",
};
_Static_assert(ELEMENTSOF(warden_hv_state_table) == __WARDEN_HV_STATE_MAX, "every state needs a name");

DEFINE_STRING_TABLE_LOOKUP(warden_hv_state, int);

const char *warden_hv_state_name(uint32_t state) {
        return warden_hv_state_to_string(state <= WARDEN_HV_STATE_MAX ? (int) state : -1) ?: "unknown";
}

static const char *const warden_exit_reason_table[WARDEN_EXIT_MAX] = {
        [WARDEN_EXIT_HVC] = "hvc",
        [WARDEN_EXIT_SMC] = "smc",
        [WARDEN_EXIT_DABT] = "dabt",
        [WARDEN_EXIT_IABT] = "iabt",
        [WARDEN_EXIT_SYSREG] = "sysreg",
        [WARDEN_EXIT_IRQ] = "irq",
        [WARDEN_EXIT_WFX] = "wfx",
        [WARDEN_EXIT_OTHER] = "other",
};

DEFINE_STRING_TABLE_LOOKUP(warden_exit_reason, int);

static const char *const warden_event_type_table[_WARDEN_EVENT_TYPE_MAX] = {
        [WARDEN_EVENT_STATE_CHANGED] = "state-changed",
        [WARDEN_EVENT_MODULE_LOADED] = "module-loaded",
        [WARDEN_EVENT_MODULE_UNLOADED] = "module-unloaded",
        [WARDEN_EVENT_LOST] = "lost",
        [WARDEN_EVENT_CELL_CHANGED] = "cell-changed",
};

DEFINE_STRING_TABLE_LOOKUP(warden_event_type, WardenEventType);

const char *warden_cell_state_name(uint32_t state, uint32_t flags) {
        switch (state) {
        case WARDEN_GENL_CELL_DESTROYED:
                return "destroyed";
        case WARDEN_CELL_CREATED:
                return "created";
        case WARDEN_CELL_RUNNING:
                return flags & WARDEN_CELL_INFO_LOCKED ? "running/locked" : "running";
        case WARDEN_CELL_SHUT_DOWN:
                return "shut down";
        case WARDEN_CELL_FAILED:
                return "failed";
        default:
                return "unknown";
        }
}

static const char *const warden_stop_reason_table[] = {
        [WARDEN_STOP_NONE] = "none",
        [WARDEN_STOP_ROOT] = "root",
        [WARDEN_STOP_SYSTEM_OFF] = "system-off",
        [WARDEN_STOP_SYSTEM_RESET] = "system-reset",
        [WARDEN_STOP_APPROVED] = "approved",
        [WARDEN_STOP_FAULT] = "fault",
        [WARDEN_STOP_FORCED] = "forced",
        [WARDEN_STOP_CPUS_OFF] = "cpus-off",
};

DEFINE_STRING_TABLE_LOOKUP(warden_stop_reason, int);

static const char *const warden_fault_kind_table[] = {
        [WARDEN_FAULT_NONE] = "none",
        [WARDEN_FAULT_DATA_ABORT] = "data-abort",
        [WARDEN_FAULT_INSN_ABORT] = "instruction-abort",
        [WARDEN_FAULT_SYSREG] = "sysreg",
        [WARDEN_FAULT_PSCI] = "psci",
        [WARDEN_FAULT_GIC] = "gic",
        [WARDEN_FAULT_UNKNOWN] = "unknown",
        [WARDEN_FAULT_DEVICE] = "device",
};

DEFINE_STRING_TABLE_LOOKUP(warden_fault_kind, int);

static const struct nla_policy ctrl_policy[CTRL_ATTR_MAX + 1] = {
        [CTRL_ATTR_FAMILY_ID] = { .type = NLA_U16 },
        [CTRL_ATTR_FAMILY_NAME] = { .type = NLA_STRING, .maxlen = GENL_NAMSIZ },
        [CTRL_ATTR_MCAST_GROUPS] = { .type = NLA_NESTED },
};

static const struct nla_policy ctrl_group_policy[CTRL_ATTR_MCAST_GRP_MAX + 1] = {
        [CTRL_ATTR_MCAST_GRP_NAME] = { .type = NLA_STRING, .maxlen = GENL_NAMSIZ },
        [CTRL_ATTR_MCAST_GRP_ID] = { .type = NLA_U32 },
};

static const struct nla_policy warden_policy[WARDEN_A_MAX + 1] = {
        [WARDEN_A_MODULE_VERSION] = { .type = NLA_STRING, .maxlen = WARDEN_GENL_STRING_MAX },
        [WARDEN_A_HV_VERSION] = { .type = NLA_STRING, .maxlen = WARDEN_GENL_STRING_MAX },
        [WARDEN_A_HV_ABI] = { .type = NLA_U32 },
        [WARDEN_A_CONSOLE_WRITTEN] = { .type = NLA_U32 },
        [WARDEN_A_HV_SIZE] = { .type = NLA_U64 },
        [WARDEN_A_STATE] = { .type = NLA_U32 },
        [WARDEN_A_CPUS_POSSIBLE] = { .type = NLA_U32 },
        [WARDEN_A_CPUS_ONLINE] = { .type = NLA_U32 },
        [WARDEN_A_SYSTEM_NAME] = { .type = NLA_STRING, .maxlen = WARDEN_GENL_STRING_MAX },
        [WARDEN_A_HV_MEM_BASE] = { .type = NLA_U64 },
        [WARDEN_A_HV_MEM_SIZE] = { .type = NLA_U64 },
        [WARDEN_A_POOL_PAGES] = { .type = NLA_U64 },
        [WARDEN_A_POOL_USED] = { .type = NLA_U64 },
        [WARDEN_A_CPUS_ENABLED] = { .type = NLA_U64 },
        [WARDEN_A_CELLS] = { .type = NLA_U32 },
        [WARDEN_A_ROOT_S2_TABLES] = { .type = NLA_U64 },
        [WARDEN_A_ROOT_S2_PAGES] = { .type = NLA_U64 },
        [WARDEN_A_ROOT_S2_BLOCKS_2M] = { .type = NLA_U64 },
        [WARDEN_A_ROOT_S2_BLOCKS_1G] = { .type = NLA_U64 },
        [WARDEN_A_ROOT_S2_BYTES] = { .type = NLA_U64 },
        [WARDEN_A_CONSOLE_HEAD] = { .type = NLA_U64 },
        [WARDEN_A_CPU_STATS] = { .type = NLA_NESTED },
        [WARDEN_A_CONSOLE_POS] = { .type = NLA_U64 },
        [WARDEN_A_CONSOLE_DATA] = { .type = NLA_UNSPEC, .maxlen = WARDEN_GENL_CONSOLE_MAX },
        [WARDEN_A_CELL_ID] = { .type = NLA_U32 },
        [WARDEN_A_CELL_NAME] = { .type = NLA_STRING, .maxlen = WARDEN_NAME_LEN },
        [WARDEN_A_CELL_ASKED] = { .type = NLA_U32 },
        [WARDEN_A_CELL_STATE] = { .type = NLA_U32 },
        [WARDEN_A_CELL_FLAGS] = { .type = NLA_U32 },
        [WARDEN_A_CELL_STOP_REASON] = { .type = NLA_U32 },
        [WARDEN_A_CELL_CPUS] = { .type = NLA_U64 },
        [WARDEN_A_CELL_CPUS_RUNNING] = { .type = NLA_U64 },
        [WARDEN_A_CELL_MEM_BYTES] = { .type = NLA_U64 },
        [WARDEN_A_CELL_CONSOLE_HEAD] = { .type = NLA_U64 },
        [WARDEN_A_CELL_HEARTBEAT] = { .type = NLA_U64 },
        [WARDEN_A_CELL_STARTS] = { .type = NLA_U64 },
        [WARDEN_A_CELL_EXITS] = { .type = NLA_U64 },
        [WARDEN_A_CELL_FAULT] = { .type = NLA_NESTED },
        [WARDEN_A_CPUS_QUARANTINED] = { .type = NLA_U64 },
        [WARDEN_A_CELL_QUARANTINED] = { .type = NLA_U64 },
};

static const struct nla_policy warden_fault_policy[WARDEN_A_FAULT_MAX + 1] = {
        [WARDEN_A_FAULT_KIND] = { .type = NLA_U32 },
        [WARDEN_A_FAULT_CPU] = { .type = NLA_U32 },
        [WARDEN_A_FAULT_ESR] = { .type = NLA_U64 },
        [WARDEN_A_FAULT_ADDRESS] = { .type = NLA_U64 },
        [WARDEN_A_FAULT_PC] = { .type = NLA_U64 },
};

static const struct nla_policy warden_cpu_policy[WARDEN_A_CPU_MAX + 1] = {
        [WARDEN_A_CPU_ID] = { .type = NLA_U32 },
        [WARDEN_A_CPU_EXITS] = { .type = NLA_NESTED },
};

static const struct nla_policy extack_policy[NLMSGERR_ATTR_MAX + 1] = {
        [NLMSGERR_ATTR_MSG] = { .type = NLA_STRING },
};

/* libnl reports its own NLE_* codes; we speak errno. */
static int errno_from_nlerr(int e) {
        static const int map[NLE_MAX + 1] = {
                [NLE_INTR] = EINTR,
                [NLE_BAD_SOCK] = EBADF,
                [NLE_AGAIN] = EAGAIN,
                [NLE_NOMEM] = ENOMEM,
                [NLE_EXIST] = EEXIST,
                [NLE_INVAL] = EINVAL,
                [NLE_RANGE] = ERANGE,
                [NLE_MSGSIZE] = EMSGSIZE,
                [NLE_OPNOTSUPP] = EOPNOTSUPP,
                [NLE_AF_NOSUPPORT] = EAFNOSUPPORT,
                [NLE_OBJ_NOTFOUND] = ENOENT,
                [NLE_MISSING_ATTR] = EBADMSG,
                [NLE_SEQ_MISMATCH] = EBADMSG,
                [NLE_MSG_OVERFLOW] = EOVERFLOW,
                [NLE_MSG_TRUNC] = EMSGSIZE,
                [NLE_MSG_TOOSHORT] = EBADMSG,
                [NLE_BUSY] = EBUSY,
                [NLE_PROTO_MISMATCH] = EPROTONOSUPPORT,
                [NLE_NOACCESS] = EACCES,
                [NLE_PERM] = EPERM,
                [NLE_PARSE_ERR] = EBADMSG,
                [NLE_NODEV] = ENODEV,
                [NLE_DUMP_INTR] = EINTR,
                [NLE_ATTRSIZE] = EBADMSG,
        };
        int i = abs(e);

        return i <= NLE_MAX && map[i] != 0 ? -map[i] : -EIO;
}

/* A generic netlink socket that asks for extended acks, so refusals come with text. */
static int nl_socket_open(struct nl_sock **ret) {
        _cleanup_(nl_socket_freep) struct nl_sock *sock = NULL;
        int one = 1, r;

        sock = nl_socket_alloc();
        if (!sock)
                return -ENOMEM;

        r = genl_connect(sock);
        if (r < 0)
                return errno_from_nlerr(r);
        /* libnl's default of 32 KiB would refuse a large ENABLE with EMSGSIZE. 0: keep rx. */
        r = nl_socket_set_buffer_size(sock, 0, REQUEST_SNDBUF);
        if (r < 0)
                return errno_from_nlerr(r);

        /* Best effort: without them errors still arrive, just without text. */
        (void) setsockopt(nl_socket_get_fd(sock), SOL_NETLINK, NETLINK_EXT_ACK, &one, sizeof(one));
        (void) setsockopt(nl_socket_get_fd(sock), SOL_NETLINK, NETLINK_CAP_ACK, &one, sizeof(one));

        *ret = TAKE_PTR(sock);
        return 0;
}

int nl_parse_extack(const struct nlmsghdr *nlh, char *buf, size_t size) {
        struct nlattr *tb[NLMSGERR_ATTR_MAX + 1];
        const struct nlmsgerr *e;
        size_t offset;

        if (!(nlh->nlmsg_flags & NLM_F_ACK_TLVS))
                return -ENODATA;
        if (nlh->nlmsg_len < NLMSG_LENGTH(sizeof(*e)))
                return -EBADMSG;

        /* The TLVs follow the error, and the echoed request unless the ack was capped. */
        e = NLMSG_DATA(nlh);
        offset = NLMSG_LENGTH(sizeof(*e));
        if (!(nlh->nlmsg_flags & NLM_F_CAPPED)) {
                if (e->msg.nlmsg_len < NLMSG_HDRLEN)
                        return -EBADMSG;
                offset += e->msg.nlmsg_len - NLMSG_HDRLEN;
        }
        offset = NLMSG_ALIGN(offset);
        if (offset >= nlh->nlmsg_len)
                return -ENODATA;

        if (nla_parse(tb, NLMSGERR_ATTR_MAX, (struct nlattr *) ((uint8_t *) nlh + offset),
                      (int) (nlh->nlmsg_len - offset), extack_policy) < 0)
                return -EBADMSG;
        if (!tb[NLMSGERR_ATTR_MSG])
                return -ENODATA;

        nla_strlcpy(buf, tb[NLMSGERR_ATTR_MSG], size);
        return 0;
}

/* One request and its replies, up to the ack or the error. */
typedef int (*nl_reply_parser_t)(struct nlmsghdr *nlh, void *userdata);

typedef struct NlRequest {
        WardenNl *nl;
        nl_reply_parser_t parse;
        void *userdata;
        int error;
        bool done;
} NlRequest;

/* The end of a dump: NLMSG_DONE, whose payload is the dump's error (0 when complete). */
static int request_on_finish(struct nl_msg *msg, void *arg) {
        struct nlmsghdr *nlh = nlmsg_hdr(msg);
        NlRequest *req = arg;

        if (nlh->nlmsg_len >= NLMSG_LENGTH(sizeof(int)) && req->error >= 0) {
                int e = *(const int *) NLMSG_DATA(nlh);

                if (e < 0) {
                        req->error = e;
                        (void) nl_parse_extack(nlh, req->nl->error, sizeof(req->nl->error));
                }
        }
        req->done = true;
        return NL_STOP;
}

static int request_on_valid(struct nl_msg *msg, void *arg) {
        NlRequest *req = arg;
        int r;

        /* Keep reading after a bad reply: the ack must still be consumed. */
        if (req->error < 0)
                return NL_SKIP;

        r = req->parse(nlmsg_hdr(msg), req->userdata);
        if (r < 0)
                req->error = r;
        return NL_OK;
}

static int request_on_ack(struct nl_msg *msg, void *arg) {
        NlRequest *req = arg;

        /* A success may come with a warning (a destroy that left CPUs quarantined). */
        (void) nl_parse_extack(nlmsg_hdr(msg), req->nl->error, sizeof(req->nl->error));
        req->done = true;
        return NL_STOP;
}

static int request_on_error(_unused_ struct sockaddr_nl *nla, struct nlmsgerr *e, void *arg) {
        /* libnl hands us the payload; the header with the extack flags sits right before it. */
        const struct nlmsghdr *nlh = (const struct nlmsghdr *) ((const uint8_t *) e - NLMSG_HDRLEN);
        NlRequest *req = arg;

        req->error = e->error < 0 ? e->error : -EPROTO;
        (void) nl_parse_extack(nlh, req->nl->error, sizeof(req->nl->error));
        req->done = true;
        return NL_STOP;
}

static int nl_request(WardenNl *nl, struct nl_msg *msg, nl_reply_parser_t parse, void *userdata) {
        _cleanup_(nl_cb_putp) struct nl_cb *cb = NULL;
        NlRequest req = { .nl = nl, .parse = parse, .userdata = userdata };
        int r;

        nl->error[0] = '\0';
        cb = nl_cb_alloc(NL_CB_DEFAULT);
        if (!cb)
                return -ENOMEM;
        nl_cb_set(cb, NL_CB_VALID, NL_CB_CUSTOM, request_on_valid, &req);
        nl_cb_set(cb, NL_CB_ACK, NL_CB_CUSTOM, request_on_ack, &req);
        nl_cb_set(cb, NL_CB_FINISH, NL_CB_CUSTOM, request_on_finish, &req);
        nl_cb_err(cb, NL_CB_CUSTOM, request_on_error, &req);

        r = nl_send_auto(nl->sock, msg);
        if (r < 0)
                return errno_from_nlerr(r);

        while (!req.done) {
                r = nl_recvmsgs(nl->sock, cb);
                if (r < 0 && !req.done)
                        return errno_from_nlerr(r);
        }
        return req.error;
}

static uint32_t find_group(struct nlattr *groups, const char *name) {
        struct nlattr *g;
        int rem;

        nla_for_each_nested(g, groups, rem) {
                struct nlattr *tb[CTRL_ATTR_MCAST_GRP_MAX + 1];

                if (nla_parse_nested(tb, CTRL_ATTR_MCAST_GRP_MAX, g, ctrl_group_policy) < 0)
                        continue;
                if (!tb[CTRL_ATTR_MCAST_GRP_NAME] || !tb[CTRL_ATTR_MCAST_GRP_ID])
                        continue;
                if (streq(nla_get_string(tb[CTRL_ATTR_MCAST_GRP_NAME]), name))
                        return nla_get_u32(tb[CTRL_ATTR_MCAST_GRP_ID]);
        }
        return 0;
}

int nl_parse_family(struct nlmsghdr *nlh, const char *group, NlFamily *ret) {
        struct nlattr *tb[CTRL_ATTR_MAX + 1];
        NlFamily f = {};

        if (genlmsg_parse(nlh, 0, tb, CTRL_ATTR_MAX, ctrl_policy) < 0)
                return -EBADMSG;
        if (!tb[CTRL_ATTR_FAMILY_ID] || !tb[CTRL_ATTR_FAMILY_NAME])
                return -EBADMSG;

        f.id = nla_get_u16(tb[CTRL_ATTR_FAMILY_ID]);
        nla_strlcpy(f.name, tb[CTRL_ATTR_FAMILY_NAME], sizeof(f.name));
        if (tb[CTRL_ATTR_MCAST_GROUPS])
                f.group_id = find_group(tb[CTRL_ATTR_MCAST_GROUPS], group);

        *ret = f;
        return 0;
}

typedef struct FamilyLookup {
        const char *name;
        const char *group;
        NlFamily family;
        bool found;
} FamilyLookup;

/* A reply, or one family of a dump: kept if it is the one asked for. */
static int on_family(struct nlmsghdr *nlh, void *userdata) {
        FamilyLookup *l = userdata;
        NlFamily f;
        int r;

        r = nl_parse_family(nlh, l->group, &f);
        if (r < 0)
                return r;
        if (!streq(f.name, l->name))
                return 0;
        l->family = f;
        l->found = true;
        return 0;
}

static int ctrl_get_family(WardenNl *nl, const char *name, const char *group, bool dump, NlFamily *ret) {
        _cleanup_(nlmsg_freep) struct nl_msg *msg = NULL;
        FamilyLookup l = { .name = name, .group = group };
        int r;

        msg = nlmsg_alloc();
        if (!msg)
                return -ENOMEM;
        if (!genlmsg_put(msg, NL_AUTO_PORT, NL_AUTO_SEQ, GENL_ID_CTRL, 0, dump ? NLM_F_DUMP : 0,
                         CTRL_CMD_GETFAMILY, 1))
                return -ENOMEM;
        if (!dump) {
                r = nla_put_string(msg, CTRL_ATTR_FAMILY_NAME, name);
                if (r < 0)
                        return errno_from_nlerr(r);
        }

        r = nl_request(nl, msg, on_family, &l);
        if (r < 0)
                return r;
        if (!l.found)
                return dump ? -ENOENT : -EBADMSG;

        *ret = l.family;
        return 0;
}

int nl_ctrl_get_family(WardenNl *nl, const char *name, const char *group, NlFamily *ret) {
        return ctrl_get_family(nl, name, group, false, ret);
}

int nl_ctrl_find_family(WardenNl *nl, const char *name, const char *group, NlFamily *ret) {
        return ctrl_get_family(nl, name, group, true, ret);
}

int warden_nl_new(WardenNl **ret) {
        _cleanup_(warden_nl_freep) WardenNl *nl = NULL;
        int r;

        nl = calloc(1, sizeof(*nl));
        if (!nl)
                return -ENOMEM;

        r = nl_socket_open(&nl->sock);
        if (r < 0)
                return r;

        *ret = TAKE_PTR(nl);
        return 0;
}

WardenNl *warden_nl_free(WardenNl *nl) {
        if (!nl)
                return NULL;

        nl_socket_free(nl->sock);
        free(nl);
        return NULL;
}

void warden_nl_set_autoload(WardenNl *nl, bool autoload) {
        nl->no_autoload = !autoload;
}

int warden_nl_resolve(WardenNl *nl) {
        NlFamily f;
        int r;

        nl->error[0] = '\0';
        if (nl->family_id > 0)
                return 0;

        /*
         * Asked by name, the kernel requests the module's alias
         * "net-pf-16-proto-16-family-warden" when the family is missing, and modprobe
         * loads warden.ko. Still missing afterwards: not installed, or it refused to load.
         */
        if (nl->no_autoload)
                r = nl_ctrl_find_family(nl, WARDEN_GENL_NAME, WARDEN_GENL_MCGRP_EVENTS, &f);
        else
                r = nl_ctrl_get_family(nl, WARDEN_GENL_NAME, WARDEN_GENL_MCGRP_EVENTS, &f);
        if (r == -ENOENT) {
                snprintf(nl->error, sizeof(nl->error), "%s",
                         nl->no_autoload ? WARDEN_NL_NOT_LOADED : WARDEN_NL_NOT_LOADABLE);
                return r;
        }
        if (r < 0)
                return r;

        nl->family_id = f.id;
        nl->events_group = f.group_id;
        return 0;
}

void warden_nl_forget(WardenNl *nl) {
        nl->family_id = 0;
        nl->events_group = 0;
}

const char *warden_nl_message(const WardenNl *nl) {
        return nl && !isempty(nl->error) ? nl->error : NULL;
}

const char *warden_nl_strerror(const WardenNl *nl, int r) {
        if (nl && !isempty(nl->error))
                return nl->error;
        return strerror(ERRNO_VALUE(r));
}

static uint64_t get_u64(struct nlattr *tb[], int type) {
        return tb[type] ? nla_get_u64(tb[type]) : 0;
}

/* A WARDEN_A_CPU_EXITS nest: u64 counts typed WARDEN_A_EXIT(reason); unknown reasons are skipped. */
static int parse_exits(struct nlattr *nest, uint64_t exits[static WARDEN_EXIT_MAX]) {
        struct nlattr *a;
        int rem;

        nla_for_each_nested(a, nest, rem) {
                int type = nla_type(a);

                if (type < WARDEN_A_EXIT(0) || type > WARDEN_A_EXIT(WARDEN_EXIT_MAX - 1))
                        continue;
                if (nla_len(a) < (int) sizeof(uint64_t))
                        return -EBADMSG;
                exits[type - WARDEN_A_EXIT(0)] = nla_get_u64(a);
        }
        return 0;
}

static int parse_cpu_stats(struct nlattr *nest, WardenInfo *info) {
        struct nlattr *cpu;
        int rem;

        nla_for_each_nested(cpu, nest, rem) {
                struct nlattr *tb[WARDEN_A_CPU_MAX + 1];
                WardenCpuStats *s;
                int r;

                if (nla_type(cpu) != WARDEN_A_CPU)
                        continue;
                if (info->n_cpu_stats >= ELEMENTSOF(info->cpu_stats))
                        return -EBADMSG;
                if (nla_parse_nested(tb, WARDEN_A_CPU_MAX, cpu, warden_cpu_policy) < 0 || !tb[WARDEN_A_CPU_ID])
                        return -EBADMSG;

                s = &info->cpu_stats[info->n_cpu_stats++];
                *s = (WardenCpuStats) { .cpu = nla_get_u32(tb[WARDEN_A_CPU_ID]) };
                if (tb[WARDEN_A_CPU_EXITS]) {
                        r = parse_exits(tb[WARDEN_A_CPU_EXITS], s->exits);
                        if (r < 0)
                                return r;
                }
        }
        return 0;
}

int warden_nl_parse_info(struct nlmsghdr *nlh, WardenInfo *ret) {
        struct nlattr *tb[WARDEN_A_MAX + 1];
        _cleanup_free_ WardenInfo *info = NULL;
        int r;

        if (genlmsg_parse(nlh, 0, tb, WARDEN_A_MAX, warden_policy) < 0)
                return -EBADMSG;
        if (!tb[WARDEN_A_MODULE_VERSION] || !tb[WARDEN_A_STATE])
                return -EBADMSG;

        /* Built aside (it is 5 KiB), so that @ret is untouched on failure. */
        info = calloc(1, sizeof(*info));
        if (!info)
                return -ENOMEM;

        nla_strlcpy(info->module_version, tb[WARDEN_A_MODULE_VERSION], sizeof(info->module_version));
        if (tb[WARDEN_A_HV_VERSION])
                nla_strlcpy(info->hv_version, tb[WARDEN_A_HV_VERSION], sizeof(info->hv_version));
        if (tb[WARDEN_A_HV_ABI])
                info->hv_abi = nla_get_u32(tb[WARDEN_A_HV_ABI]);
        info->hv_size = get_u64(tb, WARDEN_A_HV_SIZE);
        info->state = nla_get_u32(tb[WARDEN_A_STATE]);
        if (tb[WARDEN_A_CPUS_POSSIBLE])
                info->cpus_possible = nla_get_u32(tb[WARDEN_A_CPUS_POSSIBLE]);
        if (tb[WARDEN_A_CPUS_ONLINE])
                info->cpus_online = nla_get_u32(tb[WARDEN_A_CPUS_ONLINE]);

        info->has_hv_info = tb[WARDEN_A_SYSTEM_NAME] || tb[WARDEN_A_POOL_PAGES] || tb[WARDEN_A_CPUS_ENABLED];
        if (tb[WARDEN_A_SYSTEM_NAME])
                nla_strlcpy(info->system_name, tb[WARDEN_A_SYSTEM_NAME], sizeof(info->system_name));
        info->hv_mem_base = get_u64(tb, WARDEN_A_HV_MEM_BASE);
        info->hv_mem_size = get_u64(tb, WARDEN_A_HV_MEM_SIZE);
        info->pool_pages = get_u64(tb, WARDEN_A_POOL_PAGES);
        info->pool_used = get_u64(tb, WARDEN_A_POOL_USED);
        info->cpus_enabled = get_u64(tb, WARDEN_A_CPUS_ENABLED);
        if (tb[WARDEN_A_CELLS])
                info->cells = nla_get_u32(tb[WARDEN_A_CELLS]);
        info->root_s2_tables = get_u64(tb, WARDEN_A_ROOT_S2_TABLES);
        info->root_s2_pages = get_u64(tb, WARDEN_A_ROOT_S2_PAGES);
        info->root_s2_blocks_2m = get_u64(tb, WARDEN_A_ROOT_S2_BLOCKS_2M);
        info->root_s2_blocks_1g = get_u64(tb, WARDEN_A_ROOT_S2_BLOCKS_1G);
        info->root_s2_bytes = get_u64(tb, WARDEN_A_ROOT_S2_BYTES);
        info->console_head = get_u64(tb, WARDEN_A_CONSOLE_HEAD);
        info->cpus_quarantined = get_u64(tb, WARDEN_A_CPUS_QUARANTINED);
        if (tb[WARDEN_A_CPU_STATS]) {
                r = parse_cpu_stats(tb[WARDEN_A_CPU_STATS], info);
                if (r < 0)
                        return r;
        }

        *ret = *info;
        return 0;
}

int warden_nl_parse_console(struct nlmsghdr *nlh, WardenConsole *ret) {
        struct nlattr *tb[WARDEN_A_MAX + 1];

        if (genlmsg_parse(nlh, 0, tb, WARDEN_A_MAX, warden_policy) < 0)
                return -EBADMSG;
        if (!tb[WARDEN_A_CONSOLE_DATA] || !tb[WARDEN_A_CONSOLE_POS] || !tb[WARDEN_A_CONSOLE_HEAD])
                return -EBADMSG;

        ret->pos = nla_get_u64(tb[WARDEN_A_CONSOLE_POS]);
        ret->head = nla_get_u64(tb[WARDEN_A_CONSOLE_HEAD]);
        ret->size = (size_t) nla_len(tb[WARDEN_A_CONSOLE_DATA]);
        memcpy(ret->data, nla_data(tb[WARDEN_A_CONSOLE_DATA]), ret->size);
        return 0;
}

static int parse_fault(struct nlattr *nest, WardenCellFault *ret) {
        struct nlattr *tb[WARDEN_A_FAULT_MAX + 1];

        if (nla_parse_nested(tb, WARDEN_A_FAULT_MAX, nest, warden_fault_policy) < 0 || !tb[WARDEN_A_FAULT_KIND])
                return -EBADMSG;
        *ret = (WardenCellFault) {
                .kind = nla_get_u32(tb[WARDEN_A_FAULT_KIND]),
                .cpu = tb[WARDEN_A_FAULT_CPU] ? nla_get_u32(tb[WARDEN_A_FAULT_CPU]) : 0,
                .esr = get_u64(tb, WARDEN_A_FAULT_ESR),
                .address = get_u64(tb, WARDEN_A_FAULT_ADDRESS),
                .pc = get_u64(tb, WARDEN_A_FAULT_PC),
        };
        return 0;
}

static uint32_t get_u32(struct nlattr *tb[], int type) {
        return tb[type] ? nla_get_u32(tb[type]) : 0;
}

int warden_nl_parse_cell(struct nlmsghdr *nlh, WardenCellInfo *ret) {
        struct nlattr *tb[WARDEN_A_MAX + 1];
        WardenCellInfo c = {};
        int r;

        if (genlmsg_parse(nlh, 0, tb, WARDEN_A_MAX, warden_policy) < 0)
                return -EBADMSG;
        if (!tb[WARDEN_A_CELL_ID] || !tb[WARDEN_A_CELL_NAME] || !tb[WARDEN_A_CELL_STATE])
                return -EBADMSG;

        c.id = nla_get_u32(tb[WARDEN_A_CELL_ID]);
        nla_strlcpy(c.name, tb[WARDEN_A_CELL_NAME], sizeof(c.name));
        c.state = nla_get_u32(tb[WARDEN_A_CELL_STATE]);
        c.flags = get_u32(tb, WARDEN_A_CELL_FLAGS);
        c.stop_reason = get_u32(tb, WARDEN_A_CELL_STOP_REASON);
        c.cpus = get_u64(tb, WARDEN_A_CELL_CPUS);
        c.cpus_running = get_u64(tb, WARDEN_A_CELL_CPUS_RUNNING);
        c.mem_bytes = get_u64(tb, WARDEN_A_CELL_MEM_BYTES);
        c.console_head = get_u64(tb, WARDEN_A_CELL_CONSOLE_HEAD);
        c.heartbeat = get_u64(tb, WARDEN_A_CELL_HEARTBEAT);
        c.starts = get_u64(tb, WARDEN_A_CELL_STARTS);
        c.exits = get_u64(tb, WARDEN_A_CELL_EXITS);
        c.quarantined = get_u64(tb, WARDEN_A_CELL_QUARANTINED);
        if (tb[WARDEN_A_CELL_FAULT]) {
                r = parse_fault(tb[WARDEN_A_CELL_FAULT], &c.fault);
                if (r < 0)
                        return r;
                c.has_fault = true;
        }

        *ret = c;
        return 0;
}

int warden_nl_parse_shutdown(struct nlmsghdr *nlh, bool *ret_asked) {
        struct nlattr *tb[WARDEN_A_MAX + 1];

        if (genlmsg_parse(nlh, 0, tb, WARDEN_A_MAX, warden_policy) < 0 || !tb[WARDEN_A_CELL_ASKED])
                return -EBADMSG;
        *ret_asked = nla_get_u32(tb[WARDEN_A_CELL_ASKED]) != 0;
        return 0;
}

/* One request to the module: a command, its attributes, and the parser of its reply (if any). */
typedef struct WardenCall {
        uint8_t cmd;
        bool dump;                      /* NLM_F_DUMP: any number of replies */
        int blob_type;                  /* WARDEN_A_SYSTEM or WARDEN_A_CELL_BLOB, with blob */
        const void *blob;
        size_t blob_size;
        const uint64_t *console_pos;    /* WARDEN_A_CONSOLE_POS */
        const uint32_t *cell_id;        /* WARDEN_A_CELL_ID */
        const char *cell_name;          /* WARDEN_A_CELL_NAME */
        const uint32_t *region;         /* WARDEN_A_CELL_REGION */
        const uint64_t *offset;         /* WARDEN_A_CELL_OFFSET */
        const void *data;               /* WARDEN_A_CELL_DATA, or @data_type */
        size_t data_size;
        int data_type;                  /* 0: WARDEN_A_CELL_DATA */
        nl_reply_parser_t parse;        /* NULL: the ack is the whole answer */
        void *userdata;
        bool replied;
} WardenCall;

static int on_call_reply(struct nlmsghdr *nlh, void *userdata) {
        WardenCall *c = userdata;
        int r;

        if (!c->parse || (c->replied && !c->dump))
                return -EBADMSG;        /* a reply where none is due, or a second one */
        r = c->parse(nlh, c->userdata);
        if (r < 0)
                return r;
        c->replied = true;
        return 0;
}

static int warden_call_once(WardenNl *nl, WardenCall *c) {
        _cleanup_(nlmsg_freep) struct nl_msg *msg = NULL;
        int r;

        /* Room for the blob or data (the default message is one page) and the headers. */
        msg = nlmsg_alloc_size(NLMSG_HDRLEN + GENL_HDRLEN + NLA_HDRLEN + NLA_ALIGN(c->blob_size) +
                               NLA_HDRLEN + NLA_ALIGN(c->data_size) + 256);
        if (!msg)
                return -ENOMEM;
        if (!genlmsg_put(msg, NL_AUTO_PORT, NL_AUTO_SEQ, nl->family_id, 0, c->dump ? NLM_F_DUMP : 0, c->cmd,
                         WARDEN_GENL_VERSION))
                return -ENOMEM;
        r = 0;
        if (c->blob)
                r = nla_put(msg, c->blob_type, (int) c->blob_size, c->blob);
        if (r >= 0 && c->console_pos)
                r = nla_put_u64(msg, WARDEN_A_CONSOLE_POS, *c->console_pos);
        if (r >= 0 && c->cell_id)
                r = nla_put_u32(msg, WARDEN_A_CELL_ID, *c->cell_id);
        if (r >= 0 && c->cell_name)
                r = nla_put_string(msg, WARDEN_A_CELL_NAME, c->cell_name);
        if (r >= 0 && c->region)
                r = nla_put_u32(msg, WARDEN_A_CELL_REGION, *c->region);
        if (r >= 0 && c->offset)
                r = nla_put_u64(msg, WARDEN_A_CELL_OFFSET, *c->offset);
        if (r >= 0 && c->data)
                r = nla_put(msg, c->data_type ?: WARDEN_A_CELL_DATA, (int) c->data_size, c->data);
        if (r < 0)
                return errno_from_nlerr(r);

        c->replied = false;
        r = nl_request(nl, msg, on_call_reply, c);
        if (r < 0)
                return r;
        if (c->parse && !c->replied && !c->dump)
                return -EBADMSG;
        return 0;
}

static int warden_call(WardenNl *nl, WardenCall *c) {
        int r;

        for (unsigned attempt = 0;; attempt++) {
                r = warden_nl_resolve(nl);
                if (r < 0)
                        return r;

                r = warden_call_once(nl, c);
                /*
                 * A family id gone stale by a module reload gets a bare -ENOENT (no request
                 * reached the module): look the family up again, once.
                 */
                if (r != -ENOENT || !isempty(nl->error) || attempt > 0)
                        return r;
                warden_nl_forget(nl);
        }
}

static int on_info(struct nlmsghdr *nlh, void *userdata) {
        return warden_nl_parse_info(nlh, userdata);
}

static int on_console(struct nlmsghdr *nlh, void *userdata) {
        return warden_nl_parse_console(nlh, userdata);
}

int warden_nl_get(WardenNl *nl, WardenInfo *ret) {
        WardenCall c = {
                .cmd = WARDEN_CMD_GET,
                .parse = on_info,
                .userdata = ret,
        };

        return warden_call(nl, &c);
}

int warden_nl_enable(WardenNl *nl, const void *blob, size_t size) {
        WardenCall c = {
                .cmd = WARDEN_CMD_ENABLE,
                .blob_type = WARDEN_A_SYSTEM,
                .blob = blob,
                .blob_size = size,
        };

        nl->error[0] = '\0';
        if (size > WARDEN_GENL_SYSTEM_MAX) {
                snprintf(nl->error, sizeof(nl->error),
                         "the system blob has %zu bytes, more than one request carries (%u)",
                         size, WARDEN_GENL_SYSTEM_MAX);
                return -EMSGSIZE;
        }
        return warden_call(nl, &c);
}

int warden_nl_disable(WardenNl *nl) {
        WardenCall c = { .cmd = WARDEN_CMD_DISABLE };

        return warden_call(nl, &c);
}

int warden_nl_console(WardenNl *nl, uint64_t pos, WardenConsole *ret) {
        WardenCall c = {
                .cmd = WARDEN_CMD_CONSOLE,
                .console_pos = &pos,
                .parse = on_console,
                .userdata = ret,
        };

        return warden_call(nl, &c);
}

static int on_cell_id(struct nlmsghdr *nlh, void *userdata) {
        struct nlattr *tb[WARDEN_A_MAX + 1];

        if (genlmsg_parse(nlh, 0, tb, WARDEN_A_MAX, warden_policy) < 0 || !tb[WARDEN_A_CELL_ID])
                return -EBADMSG;
        *(uint32_t *) userdata = nla_get_u32(tb[WARDEN_A_CELL_ID]);
        return 0;
}

int warden_nl_cell_create(WardenNl *nl, const void *blob, size_t size, uint32_t *ret_id) {
        uint32_t id = 0;
        WardenCall c = {
                .cmd = WARDEN_CMD_CELL_CREATE,
                .blob_type = WARDEN_A_CELL_BLOB,
                .blob = blob,
                .blob_size = size,
                .parse = on_cell_id,
                .userdata = &id,
        };
        int r;

        nl->error[0] = '\0';
        if (size > WARDEN_GENL_SYSTEM_MAX) {
                snprintf(nl->error, sizeof(nl->error),
                         "the cell blob has %zu bytes, more than one request carries (%u)",
                         size, WARDEN_GENL_SYSTEM_MAX);
                return -EMSGSIZE;
        }
        r = warden_call(nl, &c);
        if (r < 0)
                return r;
        if (ret_id)
                *ret_id = id;
        return 0;
}

int warden_nl_cell_load(WardenNl *nl, uint32_t id, uint32_t region, uint64_t offset, const void *data,
                        size_t size, size_t *ret_done) {
        size_t done = 0;
        int r = 0;

        _Static_assert(WARDEN_CELL_LOAD_CHUNK <= WARDEN_GENL_CELL_LOAD_MAX, "a chunk fits one request");

        while (done < size) {
                uint64_t at = offset + done;
                WardenCall c = {
                        .cmd = WARDEN_CMD_CELL_LOAD,
                        .cell_id = &id,
                        .region = &region,
                        .offset = &at,
                        .data = (const uint8_t *) data + done,
                        .data_size = size - done < WARDEN_CELL_LOAD_CHUNK ? size - done : WARDEN_CELL_LOAD_CHUNK,
                };

                r = warden_call(nl, &c);
                if (r < 0)
                        break;
                done += c.data_size;
        }
        if (ret_done)
                *ret_done = done;
        return r;
}

static int cell_call(WardenNl *nl, uint8_t cmd, uint32_t id) {
        WardenCall c = { .cmd = cmd, .cell_id = &id };

        return warden_call(nl, &c);
}

int warden_nl_cell_start(WardenNl *nl, uint32_t id) {
        return cell_call(nl, WARDEN_CMD_CELL_START, id);
}

int warden_nl_cell_destroy(WardenNl *nl, uint32_t id) {
        return cell_call(nl, WARDEN_CMD_CELL_DESTROY, id);
}

static int on_shutdown(struct nlmsghdr *nlh, void *userdata) {
        return warden_nl_parse_shutdown(nlh, userdata);
}

int warden_nl_cell_shutdown(WardenNl *nl, uint32_t id, bool *ret_asked) {
        bool asked = false;
        WardenCall c = {
                .cmd = WARDEN_CMD_CELL_SHUTDOWN,
                .cell_id = &id,
                .parse = on_shutdown,
                .userdata = &asked,
        };
        int r;

        r = warden_call(nl, &c);
        if (r < 0)
                return r;
        if (ret_asked)
                *ret_asked = asked;
        return 0;
}

static int on_cell(struct nlmsghdr *nlh, void *userdata) {
        return warden_nl_parse_cell(nlh, userdata);
}

int warden_nl_cell_get(WardenNl *nl, uint32_t id, WardenCellInfo *ret) {
        WardenCall c = {
                .cmd = WARDEN_CMD_CELL_GET,
                .cell_id = &id,
                .parse = on_cell,
                .userdata = ret,
        };

        return warden_call(nl, &c);
}

int warden_nl_cell_get_by_name(WardenNl *nl, const char *name, WardenCellInfo *ret) {
        WardenCall c = {
                .cmd = WARDEN_CMD_CELL_GET,
                .cell_name = name,
                .parse = on_cell,
                .userdata = ret,
        };

        nl->error[0] = '\0';
        if (strlen(name) >= WARDEN_NAME_LEN) {
                snprintf(nl->error, sizeof(nl->error), "no cell '%s' (cell names have at most %u characters)",
                         name, WARDEN_NAME_LEN - 1);
                return -ENOENT;
        }
        return warden_call(nl, &c);
}

typedef struct CellList {
        WardenCellInfo *cells;
        size_t n;
} CellList;

static int on_cell_entry(struct nlmsghdr *nlh, void *userdata) {
        CellList *l = userdata;
        WardenCellInfo *grown;
        int r;

        grown = reallocarray(l->cells, l->n + 1, sizeof(*l->cells));
        if (!grown)
                return -ENOMEM;
        l->cells = grown;
        r = warden_nl_parse_cell(nlh, &l->cells[l->n]);
        if (r < 0)
                return r;
        l->n++;
        return 0;
}

int warden_nl_cell_list(WardenNl *nl, WardenCellInfo **ret, size_t *ret_n) {
        CellList l = {};
        WardenCall c = {
                .cmd = WARDEN_CMD_CELL_GET,
                .dump = true,
                .parse = on_cell_entry,
                .userdata = &l,
        };
        int r;

        for (unsigned attempt = 0;; attempt++) {
                r = warden_call(nl, &c);
                /* A dump cut short by lost messages is asked again, once. */
                if (r != -EINTR || attempt > 0)
                        break;
                l.n = 0;
        }
        if (r < 0) {
                free(l.cells);
                return r;
        }
        *ret = l.cells;
        *ret_n = l.n;
        return 0;
}

int warden_nl_cell_console(WardenNl *nl, uint32_t id, uint64_t pos, WardenConsole *ret) {
        WardenCall c = {
                .cmd = WARDEN_CMD_CELL_CONSOLE,
                .cell_id = &id,
                .console_pos = &pos,
                .parse = on_console,
                .userdata = ret,
        };

        return warden_call(nl, &c);
}

static int on_console_written(struct nlmsghdr *nlh, void *userdata) {
        struct nlattr *tb[WARDEN_A_MAX + 1];

        if (genlmsg_parse(nlh, 0, tb, WARDEN_A_MAX, warden_policy) < 0 || !tb[WARDEN_A_CONSOLE_WRITTEN])
                return -EBADMSG;
        *(size_t *) userdata = nla_get_u32(tb[WARDEN_A_CONSOLE_WRITTEN]);
        return 0;
}

int warden_nl_cell_console_write(WardenNl *nl, uint32_t id, const void *data, size_t size, size_t *ret_written) {
        size_t written = 0;
        WardenCall c = {
                .cmd = WARDEN_CMD_CELL_CONSOLE_WRITE,
                .cell_id = &id,
                .data = data,
                .data_size = size,
                .data_type = WARDEN_A_CONSOLE_DATA,
                .parse = on_console_written,
                .userdata = &written,
        };
        int r;

        if (size == 0 || size > WARDEN_GENL_CONSOLE_WRITE_MAX)
                return -EINVAL;
        r = warden_call(nl, &c);
        if (r < 0)
                return r;
        *ret_written = written;
        return 0;
}

static int ctrl_parse_event(struct nlmsghdr *nlh, WardenEvent *ret) {
        NlFamily f;
        uint8_t cmd;
        int r;

        if (genlmsg_valid_hdr(nlh, 0) < 0)
                return -EBADMSG;
        cmd = genlmsg_hdr(nlh)->cmd;
        if (!IN_SET(cmd, CTRL_CMD_NEWFAMILY, CTRL_CMD_DELFAMILY))
                return 0;

        r = nl_parse_family(nlh, WARDEN_GENL_MCGRP_EVENTS, &f);
        if (r < 0)
                return r;
        if (!streq(f.name, WARDEN_GENL_NAME))
                return 0;

        *ret = (WardenEvent) {
                .type = cmd == CTRL_CMD_NEWFAMILY ? WARDEN_EVENT_MODULE_LOADED
                                                  : WARDEN_EVENT_MODULE_UNLOADED,
                .family_id = f.id,
                .events_group = f.group_id,
        };
        return 1;
}

static int module_parse_event(struct nlmsghdr *nlh, WardenEvent *ret) {
        struct nlattr *tb[WARDEN_A_MAX + 1];
        WardenCellInfo cell;
        int r;

        if (genlmsg_valid_hdr(nlh, 0) < 0)
                return -EBADMSG;
        if (genlmsg_hdr(nlh)->cmd == WARDEN_CMD_CELL_CHANGED) {
                r = warden_nl_parse_cell(nlh, &cell);
                if (r < 0)
                        return r;
                *ret = (WardenEvent) { .type = WARDEN_EVENT_CELL_CHANGED, .cell = cell };
                return 1;
        }
        if (genlmsg_hdr(nlh)->cmd != WARDEN_CMD_STATE_CHANGED)
                return 0;
        if (genlmsg_parse(nlh, 0, tb, WARDEN_A_MAX, warden_policy) < 0 || !tb[WARDEN_A_STATE])
                return -EBADMSG;

        *ret = (WardenEvent) {
                .type = WARDEN_EVENT_STATE_CHANGED,
                .state = nla_get_u32(tb[WARDEN_A_STATE]),
        };
        return 1;
}

int warden_event_parse(struct nlmsghdr *nlh, uint16_t family_id, WardenEvent *ret) {
        if (nlh->nlmsg_type == GENL_ID_CTRL)
                return ctrl_parse_event(nlh, ret);
        if (family_id > 0 && nlh->nlmsg_type == family_id)
                return module_parse_event(nlh, ret);
        return 0;
}

static int events_join(WardenEvents *ev, uint32_t group) {
        int r;

        r = nl_socket_add_membership(ev->sock, (int) group);
        return r < 0 ? errno_from_nlerr(r) : 0;
}

/* Follows the module's family: its id for filtering, its "events" group for state changes. */
static int events_follow(WardenEvents *ev, uint16_t family_id, uint32_t group) {
        ev->family_id = family_id;
        return group > 0 ? events_join(ev, group) : 0;
}

int warden_events_new(WardenNl *nl, WardenEvents **ret) {
        _cleanup_(warden_events_freep) WardenEvents *ev = NULL;
        NlFamily ctrl;
        int r;

        ev = calloc(1, sizeof(*ev));
        if (!ev)
                return -ENOMEM;

        r = nl_socket_open(&ev->sock);
        if (r < 0)
                return r;

        r = nl_ctrl_get_family(nl, NL_CTRL_NAME, NL_CTRL_GROUP_NOTIFY, &ctrl);
        if (r < 0)
                return r;
        if (ctrl.group_id == 0)
                return -EPROTONOSUPPORT;
        r = events_join(ev, ctrl.group_id);
        if (r < 0)
                return r;

        /* Joined nlctrl first: a module loaded from now on is seen here or as an event. */
        r = warden_nl_resolve(nl);
        if (r >= 0)
                r = events_follow(ev, nl->family_id, nl->events_group);
        if (r < 0 && r != -ENOENT)
                return r;

        *ret = TAKE_PTR(ev);
        return 0;
}

WardenEvents *warden_events_free(WardenEvents *ev) {
        if (!ev)
                return NULL;

        nl_socket_free(ev->sock);
        free(ev);
        return NULL;
}

int warden_events_get_fd(const WardenEvents *ev) {
        return nl_socket_get_fd(ev->sock);
}

void warden_events_want_cells(WardenEvents *ev, bool want) {
        ev->want_cells = want;
}

/* Reads one datagram: its length, 0 for one to ignore, -EAGAIN when drained, -ENOBUFS on loss. */
static ssize_t events_read(WardenEvents *ev) {
        struct sockaddr_nl sa = {};
        struct iovec iov = { .iov_base = ev->buf, .iov_len = sizeof(ev->buf) };
        struct msghdr mh = { .msg_name = &sa, .msg_namelen = sizeof(sa), .msg_iov = &iov, .msg_iovlen = 1 };
        ssize_t n;

        do
                n = recvmsg(warden_events_get_fd(ev), &mh, MSG_DONTWAIT);
        while (n < 0 && errno == EINTR);
        if (n < 0)
                return -errno;
        if (mh.msg_flags & MSG_TRUNC)
                return -ENOBUFS;
        if (sa.nl_pid != 0)     /* only the kernel speaks on these groups */
                return 0;
        return n;
}

/* Keeps the subscription across module reloads before the handler sees the event. */
static int events_track(WardenEvents *ev, const WardenEvent *event) {
        if (event->type == WARDEN_EVENT_MODULE_LOADED)
                return events_follow(ev, event->family_id, event->events_group);
        if (event->type == WARDEN_EVENT_MODULE_UNLOADED)
                ev->family_id = 0;
        return 0;
}

static int events_dispatch(WardenEvents *ev, size_t n, warden_event_handler_t handler, void *userdata) {
        struct nlmsghdr *nlh = (struct nlmsghdr *) ev->buf;
        int len = (int) n;

        for (; nlmsg_ok(nlh, len); nlh = nlmsg_next(nlh, &len)) {
                WardenEvent event;
                int r, k;

                /* Malformed and foreign messages are dropped, and cell changes nobody asked for. */
                if (warden_event_parse(nlh, ev->family_id, &event) <= 0)
                        continue;
                if (event.type == WARDEN_EVENT_CELL_CHANGED && !ev->want_cells)
                        continue;

                k = events_track(ev, &event);
                r = handler(&event, userdata);
                if (r < 0)
                        return r;
                if (k < 0)
                        return k;
        }
        return 0;
}

int warden_events_receive(WardenEvents *ev, warden_event_handler_t handler, void *userdata) {
        for (;;) {
                ssize_t n;
                int r;

                n = events_read(ev);
                if (n == -EAGAIN)
                        return 0;
                if (n == -ENOBUFS)
                        r = handler(&(const WardenEvent) { .type = WARDEN_EVENT_LOST }, userdata);
                else if (n < 0)
                        return (int) n;
                else
                        r = events_dispatch(ev, (size_t) n, handler, userdata);
                if (r < 0)
                        return r;
        }
}
