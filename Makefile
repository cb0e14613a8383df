# Clean-room KVM for x86-64, delivered as a patch series onto Linux 6.12.y.
#
#   make demo     build the patched kernel, boot it under QEMU (SVM) and
#                 show it running our selftests on our /dev/kvm
#   make check    every test: series/overlay agreement, style gates, our
#                 selftests on our kernel and on upstream KVM, under
#                 QEMU-SVM and Bochs-VMX, and Debian's QEMU booting a
#                 Linux guest on each
#   make check-clients  the whole QEMU matrix (kernel_irqchip modes x
#                 1 and 2 CPUs x SVM and VMX, ours and upstream)
#
# Both install what they need (Debian 12).  See README for the rest.

SHELL := /bin/bash
H := harness
OUT := out

.PHONY: all demo check deps base overlay export devtree check-series style \
	kernel kernel-upstream tests scoreboard bench check-bisect check-configs \
	check-clients \
	clean distclean

all: check

deps:
	@$(H)/deps.sh

base: deps
	@$(H)/prepare-base.sh $(OUT) >/dev/null

# patches/ + series are the truth; these regenerate or check the rest.
overlay: base
	@$(H)/series.sh overlay
devtree: base
	@$(H)/series.sh devtree
export: base
	@$(H)/series.sh export
check-series: base
	@$(H)/series.sh check

style: base
	@$(H)/style.sh

kernel: base
	@$(H)/kernels.sh ours

kernel-upstream: base
	@$(H)/kernels.sh upstream

demo: deps
	@$(H)/demo.sh

check: deps
	@$(H)/check.sh

check-clients: deps
	@$(H)/clients.sh

scoreboard: deps
	@$(H)/scoreboard.sh

bench: deps
	@$(H)/bench.sh

check-bisect: base
	@$(H)/bisect.sh

check-configs: base
	@$(H)/configs.sh

clean:
	rm -rf $(OUT)/build-* $(OUT)/tests $(OUT)/src $(OUT)/runs

distclean:
	rm -rf $(OUT)
