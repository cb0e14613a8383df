// SPDX-License-Identifier: GPL-2.0-only
/*
 * /init of the inner guest: the guest a VMM boots on our KVM (the
 * minimal VMM of linux_boot_test, or QEMU).  It shows the guest kernel
 * came up with working interrupts (its console is interrupt driven) and
 * timers (it sleeps), prints "INNER: done" and reboots.  The VMM tells
 * the reboot from the end marker: QEMU with -no-reboot exits with status
 * 0, a VMM without ACPI sees the keyboard controller's reset
 * (reboot=k).
 *
 * No port I/O from here: whether a user-mode OUT that the TSS allows
 * gets through depends on the nested set-up (on upstream KVM under
 * QEMU's SVM it does not), and the kernel writes enough ports itself.
 */
#define _GNU_SOURCE
#include <sched.h>
#include <stdio.h>
#include <sys/klog.h>
#include <sys/reboot.h>
#include <sys/utsname.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

int main(void)
{
	struct timespec nap = { 0, 50 * 1000 * 1000 };
	struct utsname u;
	cpu_set_t cpus;
	double t0, t1;

	/*
	 * From here on only emergencies (a panic) reach the console: the
	 * kernel's own console writes are not ordered against the tty's
	 * interrupt-driven output and would land in the middle of the lines
	 * below, which the VMMs match (a slow host makes the clocksource
	 * watchdog talk just then).  The boot log before this is complete.
	 */
	klogctl(8, NULL, 1);	/* SYSLOG_ACTION_CONSOLE_LEVEL */
	setvbuf(stdout, NULL, _IONBF, 0);
	uname(&u);
	sched_getaffinity(0, sizeof(cpus), &cpus);
	printf("INNER: Linux %s up, %d cpus\n", u.release, CPU_COUNT(&cpus));

	/* A sleep needs timer interrupts. */
	t0 = now();
	nanosleep(&nap, NULL);
	t1 = now();
	printf("INNER: slept %.0f ms\n", (t1 - t0) * 1000);
	printf("INNER: done\n");
	/* The console is interrupt driven: let it send all of that. */
	tcdrain(STDOUT_FILENO);
	reboot(RB_AUTOBOOT);
	for (;;)
		pause();
}
