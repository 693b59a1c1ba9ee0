/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * A cell's slow requests to warden.ko (create, load, start, shutdown, destroy), made on a
 * worker thread with a netlink socket of its own, so that celld's event loop never waits for
 * them. Generic netlink runs a request's handler inside the sender's sendmsg(): creating a
 * cell, copying a 30 MB image into it or zeroing its memory at destroy takes that long in
 * whichever thread sends, and only another thread keeps the loop free.
 *
 * The thread sees nothing but its CellOp: inputs copied in before it starts, outputs read by
 * the loop only after the thread has been joined. The loop learns of the end through an
 * eventfd watched by the event loop, and calls the op's done callback from there.
 */
#pragma once

#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>
#include <pthread.h>
#include <systemd/sd-event.h>

#include "cell-images.h"
#include "warden-nl.h"

typedef enum CellOpKind {
        CELL_OP_START,          /* [destroy a leftover,] create, load the images, start */
        CELL_OP_SHUTDOWN,       /* the shutdown request */
        CELL_OP_DESTROY,        /* destroy: CPUs and memory back to Linux */
        _CELL_OP_KIND_MAX,
        _CELL_OP_KIND_INVALID = -EINVAL,
} CellOpKind;

const char *cell_op_kind_to_string(CellOpKind k) _pure_;
CellOpKind cell_op_kind_from_string(const char *s) _pure_;

/* The step of a start that failed. */
typedef enum CellOpStep {
        CELL_OP_STEP_CREATE,
        CELL_OP_STEP_LOAD,
        CELL_OP_STEP_START,
} CellOpStep;

typedef struct CellOp CellOp;
typedef void (*cell_op_work_t)(CellOp *op);
/* Called from the event loop once the work has ended; the callee owns @op then. */
typedef void (*cell_op_done_t)(CellOp *op, void *userdata);

struct CellOp {
        CellOpKind kind;

        /* In: set before cell_op_launch(), read by the thread. */
        uint32_t id;                    /* SHUTDOWN, DESTROY: the cell; START: a leftover to destroy first, or 0 */
        void *blob;                     /* START: the compiled description (owned) */
        size_t blob_size;
        WardenImageLoad *loads;         /* START: the images (owned) */
        size_t n_loads;

        /* Out: written by the thread, read by the loop in the done callback. */
        int r;                          /* 0, or why the op failed (-ECANCELED: cancelled) */
        char error[512];                /* what failed, in words: the module's extack text... */
        CellOpStep step;                /* START: the step that failed */
        CellError load_error;           /* START, at the load step */
        uint32_t new_id;                /* START: the running cell's id, 0 when it failed */
        bool asked;                     /* SHUTDOWN: a cooperative cell was asked (else it stopped) */
        int undo_r;                     /* START: destroying what a failed start made failed */
        uint32_t undo_id;
        char undo_error[256];
        int leftover_r;                 /* START: destroying the leftover failed */
        char leftover_error[256];

        /* Private. */
        cell_op_work_t work;            /* set by cell_op_new() from the kind; tests may replace it */
        atomic_bool cancel;
        atomic_bool finished;
        pthread_t thread;
        bool threaded;
        int fd;                         /* eventfd: the work has ended */
        sd_event_source *source;
        cell_op_done_t done;
        void *userdata;
};

int cell_op_new(CellOpKind kind, CellOp **ret);
/* Cancels the work, waits for the thread, frees everything. */
CellOp *cell_op_free(CellOp *op);
DEFINE_TRIVIAL_CLEANUP_FUNC(CellOp *, cell_op_free);

/*
 * Runs the work on a thread and calls @done from @event's loop when it has ended. When no
 * thread can be made, the work runs here and now, and @done still comes from the loop.
 */
int cell_op_launch(CellOp *op, sd_event *event, cell_op_done_t done, void *userdata);

/*
 * Asks the work to stop at its next step (a start between two chunks of an image: what it
 * made is destroyed again, and it ends with -ECANCELED). A step under way is completed.
 */
void cell_op_cancel(CellOp *op);
bool cell_op_cancelled(const CellOp *op);
