/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * A cell's netlink work runs off the event loop (cell-op.h): while the work is blocked, the
 * loop keeps serving its sources; cancelling reaches the work; freeing an op under way
 * cancels it and waits for it.
 */
#include <poll.h>
#include <unistd.h>

#include "cell-op.h"
#include "tests.h"

#define USEC_PER_MSEC UINT64_C(1000)

/* What the test works share with the loop's callbacks. */
static struct {
        int pipe[2];                    /* the loop writes one byte: the work may end */
        unsigned ticks;                 /* timer ticks the loop served while the work ran */
        bool work_saw_cancel;
        bool done;
        int done_r;
        sd_event *event;
} t;

/* Blocks until the loop writes to the pipe, at most 5 s: a loop that waits for the work never does. */
static void work_wait_for_loop(CellOp *op) {
        struct pollfd p = { .fd = t.pipe[0], .events = POLLIN };
        char byte;

        if (poll(&p, 1, 5000) != 1 || read(t.pipe[0], &byte, 1) != 1) {
                op->r = -ETIMEDOUT;
                return;
        }
        op->r = 0;
}

/* Runs until cancelled, at most 5 s. */
static void work_until_cancelled(CellOp *op) {
        for (unsigned i = 0; i < 500 && !cell_op_cancelled(op); i++)
                usleep(10 * 1000);
        t.work_saw_cancel = cell_op_cancelled(op);
        op->r = t.work_saw_cancel ? -ECANCELED : 0;
}

static void on_done(CellOp *op, void *userdata) {
        t.done = true;
        t.done_r = op->r;
        cell_op_free(op);
        (void) sd_event_exit(t.event, 0);
}

/* Every 10 ms; at the third tick the work may end. */
static int on_tick(sd_event_source *s, uint64_t usec, void *userdata) {
        if (++t.ticks == 3)
                ASSERT_EQ(write(t.pipe[1], "x", 1), 1);
        (void) sd_event_source_set_time_relative(s, 10 * USEC_PER_MSEC);
        return 0;
}

static int on_cancel_timer(sd_event_source *s, uint64_t usec, void *userdata) {
        cell_op_cancel(userdata);
        return 0;
}

static void setup(void) {
        t = (typeof(t)) {};
        ASSERT_OK(pipe(t.pipe));
        ASSERT_OK(sd_event_new(&t.event));
}

static void teardown(void) {
        close(t.pipe[0]);
        close(t.pipe[1]);
        t.event = sd_event_unref(t.event);
}

static CellOp *op_with(cell_op_work_t work) {
        CellOp *op = NULL;

        ASSERT_OK(cell_op_new(CELL_OP_DESTROY, &op));
        op->work = work;
        return op;
}

TEST(work_runs_while_the_loop_serves) {
        sd_event_source *tick = NULL;
        CellOp *op;

        setup();
        ASSERT_OK(sd_event_add_time_relative(t.event, &tick, CLOCK_MONOTONIC, 10 * USEC_PER_MSEC, 0, on_tick, NULL));
        ASSERT_OK(sd_event_source_set_enabled(tick, SD_EVENT_ON));
        op = op_with(work_wait_for_loop);
        ASSERT_OK(cell_op_launch(op, t.event, on_done, NULL));
        ASSERT_OK(sd_event_loop(t.event));

        /* The work could only end because the loop ran its timer while the work waited. */
        ASSERT_TRUE(t.done);
        ASSERT_EQ(t.done_r, 0);
        ASSERT_TRUE(t.ticks >= 3);
        sd_event_source_disable_unref(tick);
        teardown();
}

TEST(cancel_reaches_the_work) {
        sd_event_source *timer = NULL;
        CellOp *op;

        setup();
        op = op_with(work_until_cancelled);
        ASSERT_OK(sd_event_add_time_relative(t.event, &timer, CLOCK_MONOTONIC, 30 * USEC_PER_MSEC, 0,
                                             on_cancel_timer, op));
        ASSERT_OK(cell_op_launch(op, t.event, on_done, NULL));
        ASSERT_OK(sd_event_loop(t.event));

        ASSERT_TRUE(t.done);
        ASSERT_TRUE(t.work_saw_cancel);
        ASSERT_EQ(t.done_r, -ECANCELED);
        sd_event_source_disable_unref(timer);
        teardown();
}

TEST(free_cancels_and_waits) {
        CellOp *op;

        setup();
        op = op_with(work_until_cancelled);
        ASSERT_OK(cell_op_launch(op, t.event, on_done, NULL));
        usleep(20 * 1000);
        /* As celld does at exit: the work sees the cancel and has ended when this returns. */
        cell_op_free(op);
        ASSERT_TRUE(t.work_saw_cancel);
        ASSERT_FALSE(t.done);           /* the callback is not called for a freed op */
        teardown();
}

TEST(op_kind_names) {
        for (int k = 0; k < _CELL_OP_KIND_MAX; k++) {
                const char *name = cell_op_kind_to_string(k);

                ASSERT_NOT_NULL(name);
                ASSERT_EQ(cell_op_kind_from_string(name), k);
        }
        ASSERT_NULL(cell_op_kind_to_string(_CELL_OP_KIND_MAX));
        ASSERT_ERROR(cell_op_kind_from_string("load"), EINVAL);
}

TEST(op_kind_checked) {
        CellOp *op = NULL;

        ASSERT_ERROR(cell_op_new(_CELL_OP_KIND_MAX, &op), EINVAL);
        ASSERT_NULL(op);
}

DEFINE_TEST_MAIN
