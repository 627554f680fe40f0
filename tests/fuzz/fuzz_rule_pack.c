/*
 * fuzz_rule_pack — rule packs (rules/rule.h) as `aimcase rules check`,
 * `rules test` and the server's SIGHUP reload read them: rule_set_load on a
 * directory, rule_set_test, then scanning with the loaded set.
 *
 * rule_set_load reads files only, so the input is written into a private
 * temporary directory (mkdtemp under $TMPDIR, removed at exit).  Lines
 * "%%" split it: the first part is a.rules, the second noise.txt, the
 * third b.rules (a second pack: ids unique across packs, load order).
 *
 * A refused set must come with its problems; an accepted one must find each
 * of its rules by id, run its own examples, and scan text (the input's
 * first bytes, in every field and kind) with hits inside the text; each
 * indicator value goes through rule_indicator_normalize and the noise list,
 * as findings do when a report is filed.
 */
#include <string.h>
#include <unistd.h>

#include "fuzz.h"
#include "rule.h"

#define SCAN_MAX 512	/* bytes of the input scanned: the PCRE2 limits bound the rest */

static const char *const part_names[] = { "a.rules", "noise.txt", "b.rules" };
#define N_PARTS (sizeof(part_names) / sizeof(part_names[0]))

/* The private directory and its files; made once, removed at exit. */
static char dir[4096];
static char part_path[N_PARTS][4200];

static void
remove_dir(void)
{
	for (size_t i = 0; i < N_PARTS; i++)
		unlink(part_path[i]);
	rmdir(dir);
}

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	const char *tmp = getenv("TMPDIR");

	(void)argc;
	(void)argv;
	snprintf(dir, sizeof(dir), "%s/aimcase-fuzz-rules-XXXXXX",
	    tmp != NULL && tmp[0] != '\0' ? tmp : "/tmp");
	if (mkdtemp(dir) == NULL)
		FUZZ_FAIL("mkdtemp %s failed", dir);
	for (size_t i = 0; i < N_PARTS; i++)
		snprintf(part_path[i], sizeof(part_path[i]), "%s/%s", dir, part_names[i]);
	atexit(remove_dir);
	return 0;
}

static void
write_part(size_t i, const uint8_t *data, size_t len)
{
	FILE *fp = fopen(part_path[i], "wb");

	FUZZ_CHECK(fp != NULL, "cannot write %s", part_path[i]);
	FUZZ_CHECK(fwrite(data, 1, len, fp) == len && fclose(fp) == 0, "cannot write %s",
	    part_path[i]);
}

/* The first "\n%%\n" in data, or NULL. */
static const uint8_t *
find_sep(const uint8_t *data, size_t size)
{
	for (size_t i = 0; i + 4 <= size; i++)
		if (memcmp(data + i, "\n%%\n", 4) == 0)
			return data + i;
	return NULL;
}

/* Split at the "%%" lines and write each part; the parts not given are removed. */
static void
write_parts(const uint8_t *data, size_t size)
{
	size_t i = 0;

	for (; i < N_PARTS; i++) {
		const uint8_t *s = i + 1 < N_PARTS ? find_sep(data, size) : NULL;
		size_t len = s != NULL ? (size_t)(s - data) + 1 : size;

		write_part(i, data, len);
		if (s == NULL)
			break;
		data += len + 3;
		size -= len + 3;
	}
	while (++i < N_PARTS)
		unlink(part_path[i]);
}

struct scan {
	const struct rule_set *rs;
	const char *text;
	size_t len;
	unsigned hits;
};

static int
on_hit(void *ctx, const struct rule_hit *h)
{
	struct scan *sc = ctx;
	char value[RULE_VALUE_MAX];

	FUZZ_CHECK(h->rule != NULL && h->rule->id != NULL, "a hit without its rule");
	FUZZ_CHECK(h->start <= h->end && h->end <= sc->len, "rule %s: hit %zu-%zu in %zu bytes",
	    h->rule->id, h->start, h->end, sc->len);
	if (h->rule->indicator == NULL || h->limit)
		return 0;
	FUZZ_CHECK(h->value_start <= h->value_end && h->value_end <= sc->len,
	    "rule %s: value %zu-%zu in %zu bytes", h->rule->id, h->value_start, h->value_end,
	    sc->len);
	if (rule_indicator_normalize(h->rule->indicator, h->rule->provider,
	    sc->text + h->value_start, h->value_end - h->value_start, value) == 0) {
		FUZZ_CHECK(memchr(value, '\0', sizeof(value)) != NULL, "rule %s: value not terminated",
		    h->rule->id);
		(void)rule_set_is_noise(sc->rs, h->rule->indicator, value);
	}
	sc->hits++;
	return 0;
}

static void
check_set(const struct rule_set *rs, const uint8_t *data, size_t size)
{
	struct rule_errors errs = { 0 };
	struct rule_scratch *scratch;
	struct scan sc = { .rs = rs };
	size_t n = rule_set_count(rs);
	char *text;

	for (size_t i = 0; i < n; i++) {
		const struct rule *r = rule_set_rule(rs, i);

		FUZZ_CHECK(r != NULL && r->id != NULL && rule_set_find(rs, r->id) == r,
		    "rule %zu is not found by its id", i);
	}
	(void)rule_set_test(rs, &errs);
	rule_errors_free(&errs);

	sc.len = size < SCAN_MAX ? size : SCAN_MAX;
	text = malloc(sc.len + 1);
	scratch = rule_scratch_new();
	FUZZ_CHECK(text != NULL && scratch != NULL, "out of memory");
	memcpy(text, data, sc.len);
	text[sc.len] = '\0';
	sc.text = text;
	for (int f = 0; f < F__MAX; f++)
		for (int k = 0; k < KIND__MAX; k++) {
			int matched = rule_scan(rs, scratch, (enum rule_field)f, (enum case_kind)k,
			    text, sc.len, on_hit, &sc);

			FUZZ_CHECK(matched >= 0 && (size_t)matched <= n, "rule_scan: %d", matched);
		}
	rule_scratch_free(scratch);
	free(text);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct rule_errors errs = { 0 };
	struct rule_set *rs;

	write_parts(data, size);
	rs = rule_set_load(dir, &errs);
	if (rs == NULL) {
		FUZZ_CHECK(errs.n > 0, "a set was refused without a problem");
		for (size_t i = 0; i < errs.n; i++)
			FUZZ_CHECK(errs.msg[i] != NULL && strncmp(errs.msg[i], dir, strlen(dir)) == 0,
			    "a problem that does not start with its file: %s",
			    errs.msg[i] != NULL ? errs.msg[i] : "(null)");
	} else {
		FUZZ_CHECK(errs.n == 0, "a set was accepted with %zu problems", errs.n);
		check_set(rs, data, size);
		rule_set_unref(rs);
	}
	rule_errors_free(&errs);
	return 0;
}
