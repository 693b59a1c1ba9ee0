/* SPDX-License-Identifier: GPL-2.0-only */
/* A cell's slow netlink requests on a worker thread (see cell-op.h). */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include "cell-op.h"

static const char *const cell_op_kind_table[_CELL_OP_KIND_MAX] = {
        [CELL_OP_START] = "start",
        [CELL_OP_SHUTDOWN] = "shutdown",
        [CELL_OP_DESTROY] = "destroy",
};
DEFINE_STRING_TABLE_LOOKUP(cell_op_kind, CellOpKind);

bool cell_op_cancelled(const CellOp *op) {
        return atomic_load(&op->cancel);
}

void cell_op_cancel(CellOp *op) {
        atomic_store(&op->cancel, true);
}

static bool load_cancelled(void *userdata) {
        return cell_op_cancelled(userdata);
}

/* Destroys @id; a cell that is gone already counts as destroyed. */
static int destroy_id(WardenNl *nl, uint32_t id, char *error, size_t size) {
        int r;

        r = warden_nl_cell_destroy(nl, id);
        if (r < 0 && r != -ENOENT) {
                snprintf(error, size, "%s", warden_nl_strerror(nl, r));
                return r;
        }
        return 0;
}

static void op_fail(CellOp *op, WardenNl *nl, int r) {
        op->r = r;
        snprintf(op->error, sizeof(op->error), "%s", warden_nl_strerror(nl, r));
}

/* A failed or cancelled start takes back what it made: nothing half-made stays behind. */
static void start_undo(CellOp *op, WardenNl *nl, uint32_t id) {
        op->undo_id = id;
        op->undo_r = destroy_id(nl, id, op->undo_error, sizeof(op->undo_error));
}

static void work_start(CellOp *op, WardenNl *nl) {
        uint32_t id;
        int r;

        if (op->id > 0)
                op->leftover_r = destroy_id(nl, op->id, op->leftover_error, sizeof(op->leftover_error));

        op->step = CELL_OP_STEP_CREATE;
        if (cell_op_cancelled(op)) {
                op->r = -ECANCELED;
                return;
        }
        r = warden_nl_cell_create(nl, op->blob, op->blob_size, &id);
        if (r < 0) {
                op_fail(op, nl, r);
                return;
        }

        op->step = CELL_OP_STEP_LOAD;
        r = cell_images_load(nl, id, op->blob, op->blob_size, op->loads, op->n_loads, load_cancelled, op,
                             &op->load_error);
        if (r >= 0 && cell_op_cancelled(op))
                r = -ECANCELED;
        if (r < 0) {
                op->r = r;
                start_undo(op, nl, id);
                return;
        }

        op->step = CELL_OP_STEP_START;
        r = warden_nl_cell_start(nl, id);
        if (r < 0) {
                op_fail(op, nl, r);
                start_undo(op, nl, id);
                return;
        }
        op->new_id = id;
}

static void work_shutdown(CellOp *op, WardenNl *nl) {
        int r;

        r = warden_nl_cell_shutdown(nl, op->id, &op->asked);
        if (r < 0)
                op_fail(op, nl, r);
}

static void work_destroy(CellOp *op, WardenNl *nl) {
        op->r = destroy_id(nl, op->id, op->error, sizeof(op->error));
}

typedef void (*cell_op_nl_work_t)(CellOp *op, WardenNl *nl);

static const cell_op_nl_work_t nl_work_table[_CELL_OP_KIND_MAX] = {
        [CELL_OP_START] = work_start,
        [CELL_OP_SHUTDOWN] = work_shutdown,
        [CELL_OP_DESTROY] = work_destroy,
};

/* The default work: the kind's requests, on a socket of this op's own. */
static void work_netlink(CellOp *op) {
        _cleanup_(warden_nl_freep) WardenNl *nl = NULL;
        int r;

        r = warden_nl_new(&nl);
        if (r < 0) {
                op->r = r;
                snprintf(op->error, sizeof(op->error), "Failed to open a generic netlink socket: %s",
                         strerror(ERRNO_VALUE(r)));
                return;
        }
        nl_work_table[op->kind](op, nl);
}

int cell_op_new(CellOpKind kind, CellOp **ret) {
        CellOp *op;

        if (kind < 0 || kind >= _CELL_OP_KIND_MAX)
                return -EINVAL;
        op = calloc(1, sizeof(*op));
        if (!op)
                return -ENOMEM;
        op->kind = kind;
        op->work = work_netlink;
        op->fd = -EBADF;
        atomic_init(&op->cancel, false);
        atomic_init(&op->finished, false);
        *ret = op;
        return 0;
}

static void op_signal_end(CellOp *op) {
        uint64_t one = 1;

        atomic_store(&op->finished, true);
        /* An eventfd's counter cannot overflow with one write: this does not fail. */
        (void) !write(op->fd, &one, sizeof(one));
}

static void *op_thread(void *userdata) {
        CellOp *op = userdata;

        op->work(op);
        op_signal_end(op);
        return NULL;
}

/* Joining makes everything the thread wrote visible here. */
static void op_join(CellOp *op) {
        if (!op->threaded)
                return;
        (void) pthread_join(op->thread, NULL);
        op->threaded = false;
}

static int on_op_end(sd_event_source *s, int fd, uint32_t revents, void *userdata) {
        CellOp *op = userdata;
        uint64_t n;

        (void) !read(fd, &n, sizeof(n));
        if (!atomic_load(&op->finished))
                return 0;
        op_join(op);
        op->source = sd_event_source_disable_unref(op->source);
        op->done(op, op->userdata);     /* may free op */
        return 0;
}

int cell_op_launch(CellOp *op, sd_event *event, cell_op_done_t done, void *userdata) {
        sigset_t all, saved;
        int r;

        op->fd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
        if (op->fd < 0)
                return -errno;
        r = sd_event_add_io(event, &op->source, op->fd, EPOLLIN, on_op_end, op);
        if (r < 0)
                return r;
        op->done = done;
        op->userdata = userdata;

        /* The thread takes no signal: celld's are handled by the loop (signalfd). */
        sigfillset(&all);
        (void) pthread_sigmask(SIG_SETMASK, &all, &saved);
        r = pthread_create(&op->thread, NULL, op_thread, op);
        (void) pthread_sigmask(SIG_SETMASK, &saved, NULL);
        if (r == 0) {
                op->threaded = true;
                return 0;
        }

        /* No thread (out of memory, or of threads): do it here, as celld did before. */
        op->work(op);
        op_signal_end(op);
        return 0;
}

CellOp *cell_op_free(CellOp *op) {
        if (!op)
                return NULL;

        cell_op_cancel(op);
        op_join(op);
        sd_event_source_disable_unref(op->source);
        if (op->fd >= 0)
                close(op->fd);
        free(op->blob);
        warden_image_loads_free(op->loads, op->n_loads);
        free(op);
        return NULL;
}
