// SPDX-License-Identifier: GPL-2.0-only
/*
 * A minimal VMM, set up the way kvmtool and Firecracker set theirs up,
 * boots a real Linux kernel through the 32-bit boot protocol: in-kernel
 * irqchip and PIT, an MP table, a 16450-like serial port emulated here
 * whose interrupt goes in through an irqfd, and an ioeventfd on port 0x80,
 * which Linux writes for I/O delays and no VMM wants to hear about.  The
 * PIT does not reinject missed ticks (see boot()).
 *
 * The kernel is the harness's inner guest (harness/inner: a small 6.12
 * with its /init built in), found at $KVM_INNER_KERNEL or /inner/bzImage;
 * without it the test skips.  Its /init prints on the serial port, sleeps
 * (timer interrupts), prints "INNER: done", waits for the console to
 * drain and reboots: through the keyboard controller (reboot=k), which is
 * where the VMM stops.  Cases: one vCPU, then two (the guest brings the
 * second up with INIT/SIPI through the in-kernel LAPIC).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/eventfd.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <asm/bootparam.h>
#include <asm/kvm_para.h>

#include "kvm_util.h"

#define IO_DELAY_PORT	0x80
#define KBD_CMD_PORT	0x64
#define KBD_CMD_RESET	0xfe

#define GUEST_MEM	(128UL << 20)
#define BOOT_PARAMS	0x7000UL
#define CMDLINE		0x20000UL
#define MPTABLE		0xf0000UL	/* Linux scans the BIOS area for it */
#define KERNEL_LOAD	0x100000UL
#define CMDLINE_TEXT	"console=ttyS0 reboot=k panic=-1"

#define COM1		0x3f8
#define COM1_IRQ	4

#define E820_RAM	1
#define E820_RESERVED	2

#define MAX_VCPUS	2
#define CONSOLE_MAX	(256 << 10)

/* The serial port: just enough of a 16550 for Linux's 8250 driver. */
struct uart {
	unsigned char ier, lcr, mcr, scr, dll, dlm;
	bool thr_empty_irq;	/* a THRE interrupt is pending */
	int irqfd;		/* eventfd bound to COM1_IRQ */
	unsigned int thre_irqs;	/* THRE interrupts the guest took */
};

struct vmm {
	struct kvm_vm *vm;
	void *mem;
	int nr_vcpus;
	struct kvm_vcpu *vcpu[MAX_VCPUS];
	pthread_t thread[MAX_VCPUS];
	struct vcpu_thread_arg {
		struct vmm *v;
		struct kvm_vcpu *vcpu;
	} arg[MAX_VCPUS];

	pthread_mutex_t lock;	/* the fields below */
	pthread_cond_t cond;
	struct uart uart;
	char *console;
	size_t console_len;
	char line[160];		/* the console line being written */
	int line_len;
	bool stop;
	bool reset;		/* the guest reset the machine */
	unsigned int io_delay_exits;
	char failure[256];	/* why the VM stopped, if not by a reset */
};

static void stop_vm(struct vmm *v)
{
	v->stop = true;
	pthread_cond_broadcast(&v->cond);
}

/* With v->lock held. */
static void fail_vm(struct vmm *v, const char *fmt, ...)
{
	va_list ap;

	if (!v->failure[0]) {
		va_start(ap, fmt);
		vsnprintf(v->failure, sizeof(v->failure), fmt, ap);
		va_end(ap);
	}
	stop_vm(v);
}

/* Show the guest's console as it goes, a line at a time. */
static void console_echo(struct vmm *v, char c)
{
	if (c == '\n' || v->line_len == sizeof(v->line) - 1) {
		ksft_print_msg("| %.*s\n", v->line_len, v->line);
		fflush(stdout);
		v->line_len = 0;
	}
	if (c != '\n' && c != '\r')
		v->line[v->line_len++] = c;
}

static void uart_irq(struct uart *u)
{
	uint64_t one = 1;

	/* An irqfd pulses its GSI: the edge an ISA serial port raises. */
	if ((u->ier & 0x02) && u->thr_empty_irq)
		TEST_REQUIRE(write(u->irqfd, &one, sizeof(one)) == sizeof(one),
			     "irqfd write: %s", strerror(errno));
}

static void uart_out(struct vmm *v, unsigned int reg, unsigned char val)
{
	struct uart *u = &v->uart;
	bool dlab = u->lcr & 0x80;

	switch (reg) {
	case 0:
		if (dlab) {
			u->dll = val;
			break;
		}
		if (v->console_len < CONSOLE_MAX)
			v->console[v->console_len++] = val;
		console_echo(v, val);
		/* The byte is gone at once: the holding register is empty. */
		u->thr_empty_irq = true;
		uart_irq(u);
		break;
	case 1:
		if (dlab) {
			u->dlm = val;
			break;
		}
		u->ier = val & 0x0f;
		u->thr_empty_irq = true;
		uart_irq(u);
		break;
	case 3:
		u->lcr = val;
		break;
	case 4:
		u->mcr = val & 0x1f;
		break;
	case 7:
		u->scr = val;
		break;
	}
}

static unsigned char uart_in(struct vmm *v, unsigned int reg)
{
	struct uart *u = &v->uart;
	bool dlab = u->lcr & 0x80;

	switch (reg) {
	case 0:
		return dlab ? u->dll : 0;
	case 1:
		return dlab ? u->dlm : u->ier;
	case 2:
		/* Reading the identification acknowledges a THRE interrupt. */
		if ((u->ier & 0x02) && u->thr_empty_irq) {
			u->thr_empty_irq = false;
			u->thre_irqs++;
			return 0x02;
		}
		return 0x01;
	case 3:
		return u->lcr;
	case 4:
		return u->mcr;
	case 5:
		return 0x60;	/* transmitter empty, nothing received */
	case 6:
		return 0xb0;	/* carrier, data set ready, clear to send */
	default:
		return u->scr;
	}
}

static void handle_io(struct vmm *v, struct kvm_run *run)
{
	unsigned char *data = (unsigned char *)run + run->io.data_offset;
	unsigned int port = run->io.port, size = run->io.size;
	bool out = run->io.direction == KVM_EXIT_IO_OUT;
	uint32_t val;

	for (unsigned int i = 0; i < run->io.count; i++, data += size) {
		val = 0;
		if (out)
			memcpy(&val, data, size);
		if (port >= COM1 && port < COM1 + 8 && size == 1) {
			if (out)
				uart_out(v, port - COM1, val);
			else
				*data = uart_in(v, port - COM1);
		} else if (port == KBD_CMD_PORT && out && val == KBD_CMD_RESET) {
			v->reset = true;
			stop_vm(v);
		} else if (port == IO_DELAY_PORT) {
			v->io_delay_exits++;
		} else if (!out) {
			memset(data, 0xff, size);	/* nothing there */
		}
	}
}

static void *vcpu_thread(void *arg)
{
	struct vcpu_thread_arg *a = arg;
	struct kvm_vcpu *vcpu = a->vcpu;
	struct vmm *v = a->v;
	struct kvm_run *run = vcpu->run;

	for (;;) {
		int r = ioctl(vcpu->fd, KVM_RUN, 0);
		int err = errno;

		pthread_mutex_lock(&v->lock);
		if (v->stop) {
			pthread_mutex_unlock(&v->lock);
			return NULL;
		}
		/*
		 * EINTR: a signal (ours, to stop); EAGAIN: an AP left the
		 * wait for its SIPI.  Both just mean "run again".
		 */
		if (r < 0 && err != EINTR && err != EAGAIN) {
			fail_vm(v, "vCPU %d: KVM_RUN: %s", vcpu->id, strerror(err));
		} else if (r == 0) {
			switch (run->exit_reason) {
			case KVM_EXIT_IO:
				handle_io(v, run);
				break;
			case KVM_EXIT_MMIO:
				if (!run->mmio.is_write)
					memset(run->mmio.data, 0xff, sizeof(run->mmio.data));
				break;
			default:
				fail_vm(v, "vCPU %d: exit %s", vcpu->id,
					exit_reason_str(run->exit_reason));
			}
		}
		pthread_mutex_unlock(&v->lock);
	}
}

static unsigned char checksum(const void *p, size_t len)
{
	const unsigned char *b = p;
	unsigned char sum = 0;

	while (len--)
		sum += *b++;
	return -sum;
}

/*
 * The MP table (Intel MP specification 1.4) tells the guest about the
 * processors, the IOAPIC and how the ISA interrupts reach it: without
 * ACPI that is how Linux finds them.  ISA IRQ n is IOAPIC pin n, as
 * KVM's default GSI routing has it.
 */
static void write_mptable(struct vmm *v)
{
	unsigned char *fp = (unsigned char *)v->mem + MPTABLE;
	unsigned char *t = fp + 16, *e = t + 44;
	uint16_t len, count = 0;

	memcpy(fp, "_MP_", 4);
	*(uint32_t *)(fp + 4) = MPTABLE + 16;
	fp[8] = 1;		/* 16 bytes */
	fp[9] = 4;		/* version 1.4 */

	for (int i = 0; i < v->nr_vcpus; i++, e += 20) {
		e[0] = 0;	/* processor */
		e[1] = i;	/* APIC id */
		e[2] = 0x14;
		e[3] = 1 | (i == 0 ? 2 : 0);	/* enabled, BSP */
		count++;
	}
	e[0] = 1;		/* bus 0: ISA */
	memcpy(e + 2, "ISA   ", 6);
	e += 8;
	count++;
	e[0] = 2;		/* IOAPIC, id after the CPUs */
	e[1] = v->nr_vcpus;
	e[2] = 0x11;
	e[3] = 1;
	*(uint32_t *)(e + 4) = 0xfec00000;
	e += 8;
	count++;
	for (int irq = 0; irq < 16; irq++) {
		if (irq == 2)	/* the cascade */
			continue;
		e[0] = 3;	/* I/O interrupt: bus 0 irq -> IOAPIC pin */
		e[1] = 0;	/* vectored */
		e[4] = 0;
		e[5] = irq;
		e[6] = v->nr_vcpus;
		e[7] = irq;
		e += 8;
		count++;
	}
	e[0] = 4;		/* local: ExtINT on LINT0 of every CPU */
	e[1] = 3;
	e[6] = 0xff;
	e += 8;
	e[0] = 4;		/* NMI on LINT1 */
	e[1] = 1;
	e[6] = 0xff;
	e[7] = 1;
	e += 8;
	count += 2;

	len = e - t;
	memcpy(t, "PCMP", 4);
	*(uint16_t *)(t + 4) = len;
	t[6] = 4;
	memcpy(t + 8, "KVMTEST ", 8);
	memcpy(t + 16, "LINUXBOOT   ", 12);
	*(uint16_t *)(t + 34) = count;
	*(uint32_t *)(t + 36) = 0xfee00000;
	t[7] = checksum(t, len);
	fp[10] = checksum(fp, 16);
}

static void add_e820(struct boot_params *bp, uint64_t addr, uint64_t size,
		     uint32_t type)
{
	struct boot_e820_entry *e = &bp->e820_table[bp->e820_entries++];

	e->addr = addr;
	e->size = size;
	e->type = type;
}

/* Load the bzImage at @path and fill in the zero page; false: no file. */
static bool load_kernel(struct vmm *v, const char *path)
{
	struct boot_params *bp = (void *)((char *)v->mem + BOOT_PARAMS);
	struct setup_header *hdr;
	size_t setup_len, hdr_len;
	unsigned char *image;
	struct stat st;
	int fd;

	fd = open(path, O_RDONLY);
	if (fd < 0)
		return false;
	TEST_REQUIRE(!fstat(fd, &st) && st.st_size > 0x1000, "%s: size", path);
	image = malloc(st.st_size);
	TEST_REQUIRE(image && read(fd, image, st.st_size) == st.st_size,
		     "read %s", path);
	close(fd);

	hdr = (void *)(image + 0x1f1);
	TEST_REQUIRE(hdr->boot_flag == 0xaa55 && hdr->header == 0x53726448,
		     "%s is not a bzImage", path);
	TEST_REQUIRE(hdr->version >= 0x20c && (hdr->loadflags & LOADED_HIGH),
		     "boot protocol %#x", hdr->version);
	setup_len = ((hdr->setup_sects ?: 4) + 1) * 512;
	TEST_REQUIRE(KERNEL_LOAD + st.st_size - setup_len < GUEST_MEM / 2,
		     "kernel too big");
	memcpy((char *)v->mem + KERNEL_LOAD, image + setup_len,
	       st.st_size - setup_len);

	memset(bp, 0, sizeof(*bp));
	hdr_len = 0x202 + image[0x201] - 0x1f1;
	memcpy(&bp->hdr, hdr, hdr_len < sizeof(bp->hdr) ? hdr_len : sizeof(bp->hdr));
	bp->hdr.type_of_loader = 0xff;
	bp->hdr.cmd_line_ptr = CMDLINE;
	bp->hdr.ramdisk_image = 0;
	bp->hdr.ramdisk_size = 0;
	memcpy((char *)v->mem + CMDLINE, CMDLINE_TEXT, sizeof(CMDLINE_TEXT));
	add_e820(bp, 0, 0x9fc00, E820_RAM);
	add_e820(bp, 0x9fc00, 0x400, E820_RESERVED);
	add_e820(bp, 0xf0000, 0x10000, E820_RESERVED);
	add_e820(bp, 0x100000, GUEST_MEM - 0x100000, E820_RAM);
	free(image);
	return true;
}

/* The supported CPUID with this vCPU's APIC id where CPUID reports it. */
static void set_cpuid(struct kvm_vcpu *vcpu)
{
	struct kvm_cpuid2 *c = calloc(1, sizeof(*c) + 256 * sizeof(c->entries[0]));

	TEST_REQUIRE(c, "out of memory");
	c->nent = 256;
	TEST_REQUIRE(!ioctl(vcpu->vm->kvm_fd, KVM_GET_SUPPORTED_CPUID, c),
		     "KVM_GET_SUPPORTED_CPUID: %s", strerror(errno));
	for (unsigned int i = 0; i < c->nent; i++) {
		struct kvm_cpuid_entry2 *e = &c->entries[i];

		/* As every VMM does: the hypervisor bit, the APIC id. */
		if (e->function == 1) {
			e->ecx |= 1u << 31;
			e->ebx = (e->ebx & 0x00ffffff) | (vcpu->id << 24);
		}
		/* The guest's I/O delays are wanted, for the ioeventfd. */
		if (e->function == KVM_CPUID_FEATURES)
			e->eax &= ~(1u << KVM_FEATURE_NOP_IO_DELAY);
		if (e->function == 0xb || e->function == 0x1f)
			e->edx = vcpu->id;
	}
	TEST_REQUIRE(!ioctl(vcpu->fd, KVM_SET_CPUID2, c),
		     "KVM_SET_CPUID2: %s", strerror(errno));
	free(c);
}

/* The boot protocol's 32-bit entry: flat segments, no paging, ESI. */
static void set_entry_state(struct kvm_vcpu *vcpu)
{
	struct kvm_segment code = {
		.limit = 0xffffffff, .selector = 0x10, .type = 0xb,
		.present = 1, .db = 1, .s = 1, .g = 1,
	}, data = code;
	struct kvm_regs regs = { .rip = KERNEL_LOAD, .rsi = BOOT_PARAMS,
				 .rflags = 2 };
	struct kvm_sregs sregs;

	data.selector = 0x18;
	data.type = 0x3;
	vcpu_get_sregs(vcpu, &sregs);
	sregs.cs = code;
	sregs.ds = data;
	sregs.es = data;
	sregs.fs = data;
	sregs.gs = data;
	sregs.ss = data;
	sregs.cr0 = 0x11;	/* PE, ET */
	vcpu_set_sregs(vcpu, &sregs);
	vcpu_set_regs(vcpu, &regs);
}

static void on_sigusr1(int sig)
{
}

struct boot_result {
	bool booted;		/* the kernel was there */
	bool reset;
	uint64_t io_delays;
	unsigned int io_delay_exits;
	unsigned int thre_irqs;
	char failure[256];
	char *console;
};

static void boot(int nr_vcpus, struct boot_result *res, const char *path,
		 int timeout)
{
	struct kvm_pit_config pit = { .flags = KVM_PIT_SPEAKER_DUMMY };
	struct kvm_reinject_control merge = { .pit_reinject = 0 };
	struct kvm_ioeventfd io_delay;
	struct kvm_irqfd irqfd;
	struct timespec deadline;
	struct kvm_vm *vm;
	struct vmm *v;
	int io_delay_fd;

	v = calloc(1, sizeof(*v));
	TEST_REQUIRE(v, "out of memory");
	memset(res, 0, sizeof(*res));
	vm = vm_create();
	v->vm = vm;
	v->nr_vcpus = nr_vcpus;
	pthread_mutex_init(&v->lock, NULL);
	pthread_cond_init(&v->cond, NULL);
	v->console = calloc(1, CONSOLE_MAX + 1);
	TEST_REQUIRE(v->console, "out of memory");

	TEST_REQUIRE(!ioctl(vm->fd, KVM_SET_TSS_ADDR, 0xfffbd000UL),
		     "KVM_SET_TSS_ADDR: %s", strerror(errno));
	TEST_REQUIRE(!ioctl(vm->fd, KVM_CREATE_IRQCHIP, 0),
		     "KVM_CREATE_IRQCHIP: %s", strerror(errno));
	TEST_REQUIRE(!ioctl(vm->fd, KVM_CREATE_PIT2, &pit),
		     "KVM_CREATE_PIT2: %s", strerror(errno));
	/*
	 * Linux keeps no time by counting ticks, but checks its APIC timer
	 * against jiffies at boot.  Where the guest is slow (the debug
	 * kernel in Bochs), reinjected ticks come in bursts, the check
	 * fails, and Linux falls back to PIT ticks it cannot keep up with
	 * (upstream KVM reinjects as we do).  Let missed ticks merge.
	 */
	TEST_REQUIRE(!ioctl(vm->fd, KVM_REINJECT_CONTROL, &merge),
		     "KVM_REINJECT_CONTROL: %s", strerror(errno));
	v->mem = vm_add_memory(vm, 0, GUEST_MEM);
	if (!load_kernel(v, path)) {
		vm_destroy(vm);
		free(v->console);
		free(v);
		return;
	}
	res->booted = true;
	write_mptable(v);

	v->uart.irqfd = eventfd(0, EFD_CLOEXEC);
	irqfd = (struct kvm_irqfd) { .fd = v->uart.irqfd, .gsi = COM1_IRQ };
	TEST_REQUIRE(v->uart.irqfd >= 0 && !ioctl(vm->fd, KVM_IRQFD, &irqfd),
		     "KVM_IRQFD: %s", strerror(errno));
	io_delay_fd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
	io_delay = (struct kvm_ioeventfd) {
		.addr = IO_DELAY_PORT, .len = 1, .fd = io_delay_fd,
		.flags = KVM_IOEVENTFD_FLAG_PIO,
	};
	TEST_REQUIRE(io_delay_fd >= 0 && !ioctl(vm->fd, KVM_IOEVENTFD, &io_delay),
		     "KVM_IOEVENTFD: %s", strerror(errno));

	for (int i = 0; i < nr_vcpus; i++) {
		v->vcpu[i] = vcpu_create(vm, i);
		set_cpuid(v->vcpu[i]);
	}
	/* The APs stay in their reset state until the guest sends SIPIs. */
	set_entry_state(v->vcpu[0]);

	for (int i = 0; i < nr_vcpus; i++) {
		v->arg[i] = (struct vcpu_thread_arg) { v, v->vcpu[i] };
		TEST_REQUIRE(!pthread_create(&v->thread[i], NULL, vcpu_thread,
					     &v->arg[i]), "pthread_create");
	}

	clock_gettime(CLOCK_REALTIME, &deadline);
	deadline.tv_sec += timeout;
	pthread_mutex_lock(&v->lock);
	while (!v->stop) {
		if (pthread_cond_timedwait(&v->cond, &v->lock, &deadline) == ETIMEDOUT) {
			fail_vm(v, "no exit after %d s", timeout);
			break;
		}
	}
	pthread_mutex_unlock(&v->lock);

	/* Take every vCPU out of KVM_RUN for good. */
	for (int i = 0; i < nr_vcpus; i++) {
		v->vcpu[i]->run->immediate_exit = 1;
		pthread_kill(v->thread[i], SIGUSR1);
	}
	for (int i = 0; i < nr_vcpus; i++)
		pthread_join(v->thread[i], NULL);

	res->reset = v->reset;
	if (read(io_delay_fd, &res->io_delays, sizeof(res->io_delays)) != 8)
		res->io_delays = 0;
	res->io_delay_exits = v->io_delay_exits;
	res->thre_irqs = v->uart.thre_irqs;
	memcpy(res->failure, v->failure, sizeof(res->failure));
	res->console = v->console;

	for (int i = 0; i < nr_vcpus; i++)
		vcpu_destroy(v->vcpu[i]);
	close(io_delay_fd);
	close(v->uart.irqfd);
	vm_destroy(vm);
	free(v);
}

static void boot_case(int nr_vcpus, const char *path, int timeout)
{
	char want[64], *slept;
	struct boot_result r;
	bool ok;
	int ms;

	boot(nr_vcpus, &r, path, timeout);
	if (!r.booted) {
		ksft_test_result_skip("%d vCPU(s): no inner kernel at %s\n",
				      nr_vcpus, path);
		return;
	}
	if (r.failure[0])
		ksft_print_msg("stopped: %s\n", r.failure);
	/* The tty turns "\n" into "\r\n". */
	snprintf(want, sizeof(want), "up, %d cpus\r\n", nr_vcpus);
	slept = strstr(r.console, "INNER: slept ");
	ms = slept ? atoi(slept + 13) : -1;
	ksft_print_msg("%d vCPU(s): reset %d, port 0x80: %llu writes, %u exits\n",
		       nr_vcpus, r.reset, (unsigned long long)r.io_delays,
		       r.io_delay_exits);
	ksft_print_msg("THRE interrupts %u, slept %d ms\n", r.thre_irqs, ms);

	ok = r.reset && strstr(r.console, want) &&
	     strstr(r.console, "INNER: done\r\n") &&
	     !strstr(r.console, "Kernel panic");
	/* nanosleep() cannot return early; printed rounded to 1 ms. */
	ok &= ms >= 50;
	/* The kernel's I/O delays went to the eventfd, none to us. */
	ok &= r.io_delays > 0 && !r.io_delay_exits;
	/* /init's output went through the interrupt-driven tty. */
	ok &= r.thre_irqs > 0;
	ksft_test_result(ok,
			 "%d vCPU(s): Linux boots, runs /init, takes interrupts and ioeventfds\n",
			 nr_vcpus);
	free(r.console);
}

int main(void)
{
	const char *path = getenv("KVM_INNER_KERNEL") ?: "/inner/bzImage";
	struct sigaction sa = { .sa_handler = on_sigusr1 };
	long caps[] = { KVM_CAP_IRQCHIP, KVM_CAP_PIT2, KVM_CAP_IRQFD,
			KVM_CAP_IOEVENTFD, KVM_CAP_SET_TSS_ADDR };
	int timeout = getenv("KVM_SELFTEST_SLOW") ? 500 : 250;
	int kvm_fd;

	/* No SA_RESTART: the signal must end KVM_RUN with EINTR. */
	sigaction(SIGUSR1, &sa, NULL);
	kvm_fd = kvm_open_dev();
	kvm_require_caps(kvm_fd, caps, ARRAY_SIZE(caps));
	close(kvm_fd);

	ksft_print_header();
	ksft_set_plan(2);
	boot_case(1, path, timeout);
	boot_case(2, path, timeout);
	ksft_finished();
}
