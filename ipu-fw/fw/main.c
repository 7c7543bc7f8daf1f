// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * Firmware main: bring the platform up, find the host window, start the
 * other cores and hand every core to the IPU runtime's poll loop.
 *
 * Boot core: board_init -> board_find_window -> MMU on -> start secondaries
 * (each reports in) -> oae_ipu_init -> oae_ipu_start (READY) -> release the
 * secondaries -> poll. Every wait is bounded and none depends on the host:
 * the host may be absent, slow or restarting at any point.
 */
#include "arch/arm64/exception.h"
#include "arch/arm64/mmu.h"
#include "arch/arm64/smp.h"
#include "arch/arm64/sysreg.h"
#include "arch/arm64/timer.h"
#include "board/board.h"
#include "fw/console.h"
#include "fw/fw.h"
#include "lib/printf.h"
#include "lib/string.h"
#include "ipu_core.h"
#include "ipu_options.h"

enum fw_core_state {
	CORE_OFF = 0,
	CORE_STARTING,		/* CPU_ON accepted, not seen yet */
	CORE_ALIVE,		/* running C code with its MMU on */
	CORE_ONLINE,		/* reported in: counted and polling */
	CORE_ABANDONED,		/* too late: parks if it ever arrives */
};

struct fw_core {
	u64 mpidr;
	u32 state;		/* enum fw_core_state, atomic */
	unsigned int core_id;	/* dense id it runs as */
};

/* Indexed by stack slot, which is the board's core index. */
static struct fw_core fw_cores[FW_MAX_CORES];
static unsigned int fw_nr_cores = 1;
static struct oae_ipu fw_ipu;
static struct oae_ipu_options fw_options;
static bool fw_ipu_formatted;
/* Set (release) once the runtime is formatted; secondaries poll after. */
static u32 fw_go;

static void __noreturn fw_fatal(const char *why)
{
	fw_info("FATAL: %s; core %u parked", why, current_core_id());
	park_core();
}

/*
 * Crash hook. Core 0 coordinates, so its fault is the IPU's: tell the host
 * at once instead of letting heartbeats stop. Any other core only loses
 * its links to the live cores; the hook stays armed for the next fault.
 */
static void fw_fault_hook(void)
{
	unsigned int core = current_core_id();

	if (!fw_ipu_formatted)
		return;
	if (core == 0) {
		oae_st64_release(&fw_ipu.hdr->ipu_state, OAE_IPU_FAILED);
		return;
	}
	oae_ipu_core_failed(&fw_ipu, core);
	arm64_set_fatal_hook(fw_fault_hook);
}

static const char *region_type_name(enum board_mem_type type)
{
	switch (type) {
	case BOARD_MEM_RAM:
		return "normal RAM";
	case BOARD_MEM_SHARED:
		switch (board_window_memtype()) {
		case BOARD_WINDOW_CACHED_NONCOHERENT:
			return "shared WB OSH";
		case BOARD_WINDOW_NONCACHED:
			return "shared NC OSH";
		case BOARD_WINDOW_CACHED_COHERENT:
			break;
		}
		return "normal shared";
	case BOARD_MEM_DEVICE:
		return "device";
	case BOARD_MEM_DEVICE_STRICT:
		return "device nGnRnE";
	}
	return "?";
}

static enum mmu_attr fw_window_attr(enum board_window_memtype type)
{
	switch (type) {
	case BOARD_WINDOW_CACHED_NONCOHERENT:
		return MMU_NORMAL_OSH;
	case BOARD_WINDOW_NONCACHED:
		return MMU_NORMAL_NC_OSH;
	case BOARD_WINDOW_CACHED_COHERENT:
		break;
	}
	return MMU_NORMAL_RW;
}

/* Window cache maintenance for the runtime (cached, non-coherent only). */
static void fw_window_clean(const void *start, oae_u64 len)
{
	board_window_clean(start, len);
}

static void fw_window_invalidate(const void *start, oae_u64 len)
{
	board_window_invalidate(start, len);
}

static void fw_setup_mmu(void)
{
	struct board_mem_region regions[24];
	u64 img_start = (u64)__image_start, img_end = (u64)__image_end;
	bool image_in_ram = false;
	unsigned int n, i;
	int err;

	if (mmu_init())
		fw_fatal("CPU reports an unknown physical address size");
	n = board_mem_regions(regions, ARRAY_SIZE(regions));
	for (i = 0; i < n; i++) {
		const struct board_mem_region *r = &regions[i];

		switch (r->type) {
		case BOARD_MEM_RAM:
			err = mmu_map_ram(r->base, r->size);
			if (img_start >= r->base &&
			    img_end - r->base <= r->size)
				image_in_ram = true;
			break;
		case BOARD_MEM_SHARED:
			err = mmu_map(r->base, r->size,
				      fw_window_attr(board_window_memtype()));
			break;
		case BOARD_MEM_DEVICE_STRICT:
			err = mmu_map(r->base, r->size, MMU_DEVICE_STRICT);
			break;
		default:
			err = mmu_map(r->base, r->size, MMU_DEVICE);
			break;
		}
		fw_info("map 0x%010lx-0x%010lx %-13s %s", r->base,
			r->base + r->size - 1, region_type_name(r->type),
			r->name);
		if (err) {
			fw_info("cannot map %s: error %d", r->name, err);
			fw_fatal("memory map failed");
		}
	}
	if (!image_in_ram)
		fw_fatal("firmware image is not inside RAM described by the board");
	if (mmu_map_image())
		fw_fatal("cannot map the firmware image");
	fw_info("map 0x%010lx-0x%010lx image: text RX, rodata RO, data RW, %u stacks with guard pages",
		img_start, img_end - 1, FW_MAX_CORES);
	mmu_enable();
	console_enable_smp();
	fw_info("MMU on: %u-bit PA, %u translation tables, caches on",
		mmu_pa_bits(), mmu_tables_used());
}

static u32 core_state(struct fw_core *c)
{
	return __atomic_load_n(&c->state, __ATOMIC_ACQUIRE);
}

/* Wait for @c to leave @from, for at most @deadline (counter ticks). */
static u32 wait_core_leaves(struct fw_core *c, u32 from, u64 deadline)
{
	u32 state;

	while ((state = core_state(c)) == from && timer_count() < deadline)
		cpu_relax();
	return state;
}

static bool start_one_core(unsigned int slot, unsigned int core_id)
{
	struct fw_core *c = &fw_cores[slot];
	u64 deadline;
	u32 state = CORE_STARTING;

	c->mpidr = board_core_mpidr(slot);
	c->core_id = core_id;
	__atomic_store_n(&c->state, CORE_STARTING, __ATOMIC_RELEASE);
	if (board_start_core(slot, arm64_secondary_entry_pa(),
			     arm64_prepare_secondary(slot, core_id))) {
		__atomic_store_n(&c->state, CORE_OFF, __ATOMIC_RELAXED);
		return false;
	}

	/*
	 * Both waits are bounded. Giving up is a compare-and-swap racing the
	 * core's own, so a late core learns it was dropped and parks rather
	 * than polling under an id that has been handed to the next core.
	 */
	for (state = CORE_STARTING; state != CORE_ONLINE;) {
		u32 from = state;

		deadline = timer_count() +
			   timer_us_to_ticks(FW_CORE_START_TIMEOUT_US);
		state = wait_core_leaves(c, from, deadline);
		/* Only a core that made no progress in time is given up. */
		if (state == from &&
		    __atomic_compare_exchange_n(&c->state, &state,
						CORE_ABANDONED, false,
						__ATOMIC_ACQ_REL,
						__ATOMIC_ACQUIRE)) {
			fw_info("core at mpidr 0x%lx did not report in within %u ms; continuing without it",
				c->mpidr, FW_CORE_START_TIMEOUT_US / 1000);
			return false;
		}
	}
	return true;
}

static void start_secondaries(void)
{
	unsigned int n = board_nr_cores(), slot;

	if (n > FW_MAX_CORES) {
		fw_info("board has %u cores; this firmware runs at most %u",
			n, FW_MAX_CORES);
		n = FW_MAX_CORES;
	}
	for (slot = 1; slot < n; slot++)
		if (start_one_core(slot, fw_nr_cores))
			fw_nr_cores++;
}

/* Which links each core serves, as the runtime deals them out. */
static void report_partition(void)
{
	unsigned int core, link, n;
	char list[FW_NR_LINKS * 4 + 1];

	for (core = 0; core < fw_nr_cores; core++) {
		list[0] = 0;
		for (link = 0, n = 0; link < FW_NR_LINKS; link++)
			if (oae_link_core(link, fw_nr_cores) == core)
				n += fw_snprintf(list + n, sizeof(list) - n,
						 " %u", link);
		fw_info("core %u serves links:%s", core, n ? list : " none");
	}
}

static const char *fw_policy_name(int role)
{
	return fw_options.policy[role] ? fw_options.policy[role]->name : "none";
}

/*
 * Core 0, between poll rounds: say when a core was lost, and every
 * FW_STATUS_PERIOD_US print the per-core lock counters if any changed
 * ("shared locks" grows only with work, never while idle).
 */
static void fw_report(void)
{
	static u64 lost_reported, next_status, last_taken[FW_MAX_CORES];
	char line[FW_MAX_CORES * 48 + 1];
	unsigned int c, link, n;
	bool changed = false;
	u64 now = timer_count();

	if (fw_ipu.cores_lost != lost_reported) {
		lost_reported = fw_ipu.cores_lost;
		for (c = 1; c < fw_nr_cores; c++) {
			if (!oae_ipu_core_lost(&fw_ipu, c))
				continue;
			fw_info("core %u lost: it stopped polling; its links moved to live cores",
				c);
		}
		for (c = 0; c < fw_nr_cores; c++) {
			line[0] = 0;
			for (link = 0, n = 0; link < FW_NR_LINKS; link++)
				if (oae_ipu_link_owner(&fw_ipu, link) == c)
					n += fw_snprintf(line + n, sizeof(line) - n,
							 " %u", link);
			if (n)
				fw_info("core %u now serves links:%s", c, line);
		}
	}
	if (now < next_status)
		return;
	next_status = now + timer_us_to_ticks(FW_STATUS_PERIOD_US);
	for (c = 0; c < fw_nr_cores; c++) {
		u64 taken = __atomic_load_n(&fw_ipu.core[c].cnt.locks.taken,
					    __ATOMIC_RELAXED);

		changed |= taken != last_taken[c];
		last_taken[c] = taken;
	}
	if (!changed)
		return;
	for (c = 0, n = 0; c < fw_nr_cores; c++)
		n += fw_snprintf(line + n, sizeof(line) - n, " %u:%lu/%lu", c,
				 last_taken[c],
				 __atomic_load_n(&fw_ipu.core[c].cnt.locks.waited,
						 __ATOMIC_RELAXED));
	fw_info("status: shared locks taken/waited per core:%s", line);
}

static oae_u64 fw_now_ns(void)
{
	return timer_ticks_to_ns(timer_count());
}

/*
 * Test knobs from the boot arguments, spelt as for ipu-sim. A bad one
 * stops the boot: silently running without the asked-for fault would
 * make a test pass for the wrong reason.
 */
static void fw_parse_bootargs(void)
{
	const char *args = board_bootargs();
	char err[128];

	oae_ipu_options_init(&fw_options);
	if (!args[0])
		return;
	fw_info("boot arguments: %s", args);
	if (oae_ipu_options_parse(&fw_options, args, err, sizeof(err))) {
		fw_info("bad boot arguments: %s", err);
		fw_fatal("refusing to run with arguments it does not understand");
	}
}

void fw_main(u64 boot_arg, u64 entry_count, unsigned int entry_el)
{
	struct oae_ipu_config cfg;
	enum oae_hdr_error herr;
	u64 win_base, win_size, ready;

	if (board_init(boot_arg))
		fw_fatal("board initialisation failed");
	fw_info("oae-ipu firmware, board %s, entered at EL%u%s", board_name(),
		entry_el, entry_el == 2 ? ", running at EL1" : "");
	board_describe();
	if (!timer_freq())
		fw_fatal("CNTFRQ_EL0 is 0: the generic timer frequency was never set");

	fw_parse_bootargs();
	if (board_find_window(&win_base, &win_size))
		fw_fatal("cannot serve the host without its window");
	if (win_size < OAE_WINDOW_MIN || !is_power_of_2(win_size))
		fw_fatal("host window size unusable (below 64 KiB or not a power of two)");

	fw_cores[0] = (struct fw_core){ .mpidr = current_mpidr(),
					.state = CORE_ONLINE };
	fw_setup_mmu();
	arm64_set_fatal_hook(fw_fault_hook);
	fw_info("core 0 up (mpidr 0x%lx)", current_mpidr());
	start_secondaries();

	cfg = (struct oae_ipu_config){
		/* The ABI bounds what one header can describe. */
		.window_size = win_size < OAE_WINDOW_MAX ? win_size :
							   OAE_WINDOW_MAX,
		.nr_links = FW_NR_LINKS,
		.nr_cores = fw_nr_cores,
		.ring_entries = FW_RING_ENTRIES,
		/*
		 * New on every boot: the last boot's id (it only has to
		 * differ from it) mixed with the counter. A real board would
		 * use its RNG.
		 */
		.boot_id = oae_digest_add(oae_ld64(&((struct oae_ipu_hdr *)
						     win_base)->ipu_boot_id),
					  timer_count()) | 1,
		.now_ns = fw_now_ns,
		.core_stall_ns = fw_options.core_stall_ms * 1000000ULL,
		.latency_ns = fw_options.latency_ns,
		.fault = fw_options.fault,
		.fail_after = fw_options.fail_after,
		.sched_slice_ns = fw_options.sched_slice_ns,
	};
	memcpy(cfg.policy, fw_options.policy, sizeof(cfg.policy));
	if (board_window_memtype() == BOARD_WINDOW_CACHED_NONCOHERENT) {
		cfg.window_clean = fw_window_clean;
		cfg.window_invalidate = fw_window_invalidate;
	}
	herr = oae_ipu_init(&fw_ipu, (void *)win_base, &cfg);
	if (herr != OAE_HDR_OK) {
		fw_info("formatting the window failed: %s",
			oae_hdr_strerror(herr));
		fw_fatal("cannot format the host window");
	}
	fw_ipu_formatted = true;
	report_partition();
	if (fw_options.park_core >= fw_nr_cores)
		fw_info("--park-core %u: no such core; parking none",
			fw_options.park_core);
	oae_ipu_start(&fw_ipu);
	ready = timer_count();
	fw_info("ready: window 0x%lx size %lu links %u cores %u", win_base,
		cfg.window_size, FW_NR_LINKS, fw_nr_cores);
	fw_info("policies test %s sched %s mem %s",
		fw_policy_name(OAE_ROLE_TEST), fw_policy_name(OAE_ROLE_SCHED),
		fw_policy_name(OAE_ROLE_MEM));
	fw_info("sched slice %lu us when the host asks for none (0: the policy's own)",
		fw_options.sched_slice_ns / 1000);
	fw_info("policy %s, latency %lu ns, garbage %s, fail-after %lu",
		fw_policy_name(OAE_ROLE_TEST), fw_options.latency_ns,
		oae_fault_name(fw_options.fault), fw_options.fail_after);
	fw_info("boot to READY: %lu us (%lu us since reset)",
		timer_ticks_to_us(ready - entry_count),
		timer_ticks_to_us(ready));

	__atomic_store_n(&fw_go, 1, __ATOMIC_RELEASE);
	dsb(ish);
	sev();

#ifdef OAE_FW_FAULT_TEST
	fw_info("fault test: reading unmapped address 0x%lx",
		FW_FAULT_TEST_ADDR);
	(void)*(volatile u8 *)FW_FAULT_TEST_ADDR;
#endif
	for (;;) {
		oae_ipu_poll(&fw_ipu, 0);
		fw_report();
	}
}

void fw_secondary_main(unsigned int slot)
{
	struct fw_core *c = &fw_cores[slot];
	u32 expected = CORE_STARTING;
	unsigned int id;

	/* Claim the slot unless the boot core already gave up on us. */
	if (!__atomic_compare_exchange_n(&c->state, &expected, CORE_ALIVE,
					 false, __ATOMIC_ACQ_REL,
					 __ATOMIC_ACQUIRE))
		park_core();
	id = c->core_id;
	arm64_set_core_id(id);
	fw_info("core %u up (mpidr 0x%lx)", id, current_mpidr());
	expected = CORE_ALIVE;
	if (!__atomic_compare_exchange_n(&c->state, &expected, CORE_ONLINE,
					 false, __ATOMIC_ACQ_REL,
					 __ATOMIC_ACQUIRE))
		park_core();

	while (!__atomic_load_n(&fw_go, __ATOMIC_ACQUIRE))
		wfe();
	if (fw_options.park_core == id) {
		fw_info("core %u parked by --park-core: it will never poll", id);
		park_core();
	}
	for (;;)
		oae_ipu_poll(&fw_ipu, id);
}
