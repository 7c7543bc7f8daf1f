// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * Options of the IPU runtime (see ipu_options.h).
 */
#include "ipu_options.h"

static const char *const oae_fault_names[] = {
	[OAE_FAULT_NONE]	= "none",
	[OAE_FAULT_WRONG_ECHO]	= "wrong-echo",
	[OAE_FAULT_WRONG_EPOCH]	= "wrong-epoch",
	[OAE_FAULT_BAD_STATUS]	= "out-of-range",
	[OAE_FAULT_TORN]	= "torn",
	[OAE_FAULT_BAD_SEQ]	= "bad-seq",
};

const char *oae_fault_name(oae_u32 fault)
{
	return fault < OAE_ARRAY_SIZE(oae_fault_names) ?
	       oae_fault_names[fault] : (const char *)0;
}

static int oae_streq(const char *a, const char *b)
{
	while (*a && *a == *b) {
		a++;
		b++;
	}
	return *a == *b;
}

/* Copy @parts (NULL-terminated) into @err, cut to fit. */
static void oae_msg(char *err, unsigned int size, const char *const *parts)
{
	unsigned int n = 0;
	const char *p;

	if (!size)
		return;
	for (; *parts; parts++)
		for (p = *parts; *p && n + 1 < size; p++)
			err[n++] = *p;
	err[n] = 0;
}

/* Unsigned decimal or 0x-hex, the whole string, no overflow. */
static int oae_parse_u64(const char *s, oae_u64 *out)
{
	unsigned int base = 10, digit;
	oae_u64 v = 0;

	if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
		base = 16;
		s += 2;
	}
	if (!*s)
		return -1;
	for (; *s; s++) {
		if (*s >= '0' && *s <= '9')
			digit = *s - '0';
		else if (base == 16 && *s >= 'a' && *s <= 'f')
			digit = *s - 'a' + 10;
		else if (base == 16 && *s >= 'A' && *s <= 'F')
			digit = *s - 'A' + 10;
		else
			return -1;
		if (v > (~(oae_u64)0 - digit) / base)
			return -1;
		v = v * base + digit;
	}
	*out = v;
	return 0;
}

/* --sched-slice-us's message spells the ABI's bounds out. */
OAE_STATIC_ASSERT(OAE_SCHED_SLICE_MIN_NS == 100 * 1000ULL &&
		  OAE_SCHED_SLICE_MAX_NS == 1000000 * 1000ULL,
		  "--sched-slice-us message");

void oae_ipu_options_init(struct oae_ipu_options *o)
{
	*o = (struct oae_ipu_options){ 0 };
	o->policy[OAE_ROLE_TEST] = oae_policy_find("echo");
}

/* "--sched-policy" and friends: the role they choose for; -1 if none. */
static int oae_policy_option_role(const char *name)
{
	static const char *const names[OAE_NR_ROLES] = {
		[OAE_ROLE_TEST]		= "test-policy",
		[OAE_ROLE_SCHED]	= "sched-policy",
		[OAE_ROLE_MEM]		= "mem-policy",
	};
	int i;

	for (i = 0; i < OAE_NR_ROLES; i++)
		if (oae_streq(name, names[i]))
			return i;
	return -1;
}

/* Append the registered policies of @role, as "a, b" or "none yet". */
static void oae_msg_policies(char *err, unsigned int size, int role)
{
	unsigned int i, n = 0, len;
	const struct oae_ipu_policy *p;

	for (len = 0; len < size && err[len]; len++)
		;
	for (i = 0; i < oae_policy_count(); i++) {
		p = oae_policy_at(i);
		if ((int)p->role != role)
			continue;
		oae_msg(err + len, size - len, (const char *const[]){
			n++ ? ", " : "", p->name, (const char *)0 });
		while (len + 1 < size && err[len])
			len++;
	}
	oae_msg(err + len, size - len, (const char *const[]){
		n ? ")" : "none registered yet)", (const char *)0 });
}

static int oae_policy_option(struct oae_ipu_options *o, int role,
			     const char *name, const char *value, char *err,
			     unsigned int err_size)
{
	const struct oae_ipu_policy *p;

	if (oae_streq(value, "none")) {
		o->policy[role] = (const struct oae_ipu_policy *)0;
		return 0;
	}
	p = oae_policy_find(value);
	if (p && (int)p->role == role) {
		o->policy[role] = p;
		return 0;
	}
	oae_msg(err, err_size, (const char *const[]){
		"--", name, ": ", p ? "'" : "unknown policy '", value,
		p ? "' is a " : "'", p ? oae_role_name(p->role) : "",
		p ? " policy" : "", " (none, or a ", oae_role_name(role),
		" policy: ", (const char *)0 });
	oae_msg_policies(err, err_size, role);
	return -1;
}

int oae_ipu_option(struct oae_ipu_options *o, const char *name,
		   const char *value, char *err, unsigned int err_size)
{
	oae_u64 *num = (oae_u64 *)0, park, us;
	int role = oae_policy_option_role(name);
	oae_u32 i;

	if (oae_streq(name, "latency-ns"))
		num = &o->latency_ns;
	else if (oae_streq(name, "fail-after"))
		num = &o->fail_after;
	else if (oae_streq(name, "core-stall-ms"))
		num = &o->core_stall_ms;
	else if (!oae_streq(name, "garbage") && !oae_streq(name, "park-core") &&
		 !oae_streq(name, "sched-slice-us") && role < 0)
		return 1;

	if (!value) {
		oae_msg(err, err_size, (const char *const[]){
			"--", name, ": missing value", (const char *)0 });
		return -1;
	}
	if (role >= 0)
		return oae_policy_option(o, role, name, value, err, err_size);
	if (oae_streq(name, "park-core")) {
		if (oae_parse_u64(value, &park) || !park ||
		    park >= OAE_MAX_IPU_CORES) {
			oae_msg(err, err_size, (const char *const[]){
				"--park-core: '", value,
				"' is not a core id from 1 to 63 (core 0 coordinates)",
				(const char *)0 });
			return -1;
		}
		o->park_core = (oae_u32)park;
		return 0;
	}
	if (oae_streq(name, "sched-slice-us")) {
		/* Checked before multiplying: no overflow. */
		if (oae_parse_u64(value, &us) ||
		    us < OAE_SCHED_SLICE_MIN_NS / 1000 ||
		    us > OAE_SCHED_SLICE_MAX_NS / 1000) {
			oae_msg(err, err_size, (const char *const[]){
				"--sched-slice-us: '", value,
				"' is not a slice from 100 to 1000000 us",
				(const char *)0 });
			return -1;
		}
		o->sched_slice_ns = us * 1000;
		return 0;
	}
	if (num) {
		if (oae_parse_u64(value, num)) {
			oae_msg(err, err_size, (const char *const[]){
				"--", name, ": '", value, "' is not a number",
				(const char *)0 });
			return -1;
		}
		return 0;
	}
	for (i = 0; i < OAE_ARRAY_SIZE(oae_fault_names); i++) {
		if (oae_streq(value, oae_fault_names[i])) {
			o->fault = i;
			return 0;
		}
	}
	oae_msg(err, err_size, (const char *const[]){
		"--garbage: unknown mode '", value,
		"' (none, wrong-echo, wrong-epoch, out-of-range, torn, bad-seq)",
		(const char *)0 });
	return -1;
}

#define OAE_OPTION_WORD	64

/* Next space-separated word of @line into @word; returns the rest or NULL. */
static const char *oae_next_word(const char *line, char *word, int *too_long)
{
	unsigned int n = 0;

	while (*line == ' ' || *line == '\t' || *line == '\n')
		line++;
	if (!*line)
		return (const char *)0;
	*too_long = 0;
	for (; *line && *line != ' ' && *line != '\t' && *line != '\n'; line++) {
		if (n + 1 < OAE_OPTION_WORD)
			word[n++] = *line;
		else
			*too_long = 1;
	}
	word[n] = 0;
	return line;
}

int oae_ipu_options_parse(struct oae_ipu_options *o, const char *line,
			  char *err, unsigned int err_size)
{
	struct oae_ipu_options parsed = *o;
	char word[OAE_OPTION_WORD], next[OAE_OPTION_WORD];
	const char *value, *rest;
	int too_long, ret;
	char *eq;

	while ((line = oae_next_word(line, word, &too_long))) {
		if (too_long || word[0] != '-' || word[1] != '-' || !word[2]) {
			oae_msg(err, err_size, (const char *const[]){
				"unexpected argument '", word, "'",
				(const char *)0 });
			return -1;
		}
		for (eq = word; *eq && *eq != '='; eq++)
			;
		if (*eq) {
			*eq = 0;
			value = eq + 1;
		} else {
			rest = oae_next_word(line, next, &too_long);
			if (rest && !too_long) {
				line = rest;
				value = next;
			} else {
				value = (const char *)0;
			}
		}
		ret = oae_ipu_option(&parsed, word + 2, value, err, err_size);
		if (ret > 0)
			oae_msg(err, err_size, (const char *const[]){
				"unknown option '", word, "'",
				(const char *)0 });
		if (ret)
			return -1;
	}
	*o = parsed;
	return 0;
}
