# SPDX-License-Identifier: GPL-2.0
# oae-ipu top level. The two commands a newcomer needs:
#   make run     the testbed: host guest + emulated IPU running the offload
#   make check   every test suite; last line "N passed, N failed, N skipped"
# Both install what they need first (tools/setup-deps, the test kernel).

TOP := $(CURDIR)
STAGE := $(TOP)/build/guest
# KASAN=1 selects the KASAN flavour of the test kernel (not in make check).
KERNEL_CACHE = $(shell KASAN=$(KASAN) $(TOP)/tools/testbed/build-kernel)
IPU ?= sim

.PHONY: all deps kernel module fw selftests stage run run-link clean \
	check check-unit check-model check-testbed check-style \
	check-kunit check-selftests check-sched check-mem bench-link bench-post \
	bench-mem

all: stage

deps:
	@$(TOP)/tools/setup-deps

kernel: deps
	@KASAN=$(KASAN) $(TOP)/tools/testbed/build-kernel > /dev/null

# W=1 and no warnings allowed: a warning fails the build.
module: kernel
	$(MAKE) -C kmod KDIR=$(KERNEL_CACHE)/build KCFLAGS=-Werror

fw: deps
	$(MAKE) -C ipu-fw

selftests: deps
	$(MAKE) -C selftests OUTPUT=$(STAGE)

# Everything the guest sees under /oae.
stage: module fw selftests
	mkdir -p $(STAGE)/modules
	cp kmod/oae_ipu.ko $(STAGE)/modules/
	if [ -f kmod/oae_ipu_kunit.ko ]; then cp kmod/oae_ipu_kunit.ko $(STAGE)/modules/; fi
	mkdir -p $(STAGE)/bin
	cp tools/testbed/demo.sh $(STAGE)/bin/oae-demo
	cp tools/testbed/link-demo.sh $(STAGE)/bin/oae-link-demo
	$(MAKE) -s -C tools/bench guest GUEST_BIN=$(STAGE)/bin
	$(MAKE) -s -C tools/sched_ext guest GUEST_BIN=$(STAGE)/bin \
		KERNEL_CACHE=$(KERNEL_CACHE)

# The main job: boot the testbed with the IPU (IPU=sim or IPU=fw), attach
# scx_oae and run a workload under it (tools/testbed/demo.sh). Here
# ipu-sim spins like an IPU core; by default it naps between polls to
# leave a small host's CPUs to the tests.
RUN_IPU_ARGS_sim := --ipu-args "--idle-sleep-us 0"
run: stage
	$(TOP)/tools/testbed/run --ipu=$(IPU) $(RUN_IPU_ARGS_$(IPU)) -- oae-demo

# The link alone: swaps over every link and both sides' books.
run-link: stage
	$(TOP)/tools/testbed/run --ipu=$(IPU) $(RUN_IPU_ARGS_$(IPU)) -- oae-link-demo

check: deps
	@$(TOP)/tools/check all
check-unit check-model check-testbed check-style check-kunit check-selftests check-sched \
	check-mem: deps
	@$(TOP)/tools/check $(@:check-%=%)

# Benchmarks print tables; they are never part of make check.
# ITERATIONS=N round trips per row (default 200000).
bench-link: deps
	$(MAKE) -s -C tools/bench bench-link

# Custody event posting cost against the number of concurrent posters, in
# the testbed guest (CPUS=N guest CPUs, default 4), lock-free next to the
# old global lock.
CPUS ?= 4
bench-post: stage
	$(TOP)/tools/testbed/run --ipu=sim --cpus $(CPUS) \
		--ipu-args "--idle-sleep-us 0" -- \
		'insmod /oae/modules/oae_ipu.ko && sleep 1 && oae-bench-post'

# Fault latency of the memory device, the IPU deciding (bilateral) next to
# the module's local copy of the same policy, in the testbed guest with
# ipu-sim running the "clock" memory policy.
bench-mem: stage
	$(TOP)/tools/testbed/run --ipu=sim --ipu-args "--mem-policy clock --idle-sleep-us 0" \
		--timeout 1200 -- \
		'insmod /oae/modules/oae_ipu.ko && sleep 1 && oae-bench-mem'

clean:
	-$(MAKE) -C kmod KDIR=$(KERNEL_CACHE)/build clean
	-$(MAKE) -C ipu-fw clean
	rm -rf build
