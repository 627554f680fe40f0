/*
 * api_rules.c — the rules in force, and the retro-hunt.
 */
#include "api.h"
#include "rescan.h"

enum aim_err
api_rules_list(struct request *rq, struct aim_fault *f)
{
	const struct rule_set *rs = srv_rules(rq);
	json_t *hits = NULL, *rules = json_array(), *out;
	enum aim_err e;

	(void)f;
	if (rules == NULL)
		return AIM_ENOMEM;
	if ((e = store_rule_hits(rq->store, &rq->user, &hits)) != AIM_OK) {
		json_decref(rules);
		return e;
	}
	for (size_t i = 0; rs != NULL && i < rule_set_count(rs); i++) {
		const struct rule *r = rule_set_rule(rs, i);
		json_t *n = json_object_get(hits, r->id);

		if (json_array_append_new(rules, json_pack("{s:s,s:s,s:s,s:s,s:s?,s:s?,s:I}",
		    "id", r->id, "pack", r->pack != NULL ? r->pack : "", "severity",
		    rule_severity_name(r->severity), "description", r->description, "statute",
		    r->statute, "indicator", r->indicator, "hits",
		    (json_int_t)(n != NULL ? json_integer_value(n) : 0))) != 0) {
			e = AIM_ENOMEM;
			break;
		}
	}
	json_decref(hits);
	if (e != AIM_OK) {
		json_decref(rules);
		return e;
	}
	out = json_pack("{s:o,s:s?}", "rules", rules, "source",
	    rs != NULL ? rule_set_path(rs) : NULL);
	return srv_json(rq, 200, out);
}

enum aim_err
api_rescan(struct request *rq, struct aim_fault *f)
{
	const struct rule_set *rs = srv_rules(rq);
	const char *rule = srv_arg(rq, "rule");
	int64_t docs = 0, flags = 0;
	enum aim_err e;

	if (rs == NULL)
		return aim_fault_set(f, AIM_ECONFLICT, NULL, "the server runs without rules");
	if (rule != NULL && rule_set_find(rs, rule) == NULL)
		return aim_fault_set(f, AIM_EINVAL, "rule", "rule: no rule %s in force", rule);
	e = rescan_run(rq->store, rs, rules_thread_scratch(), rule, rq->now, &docs, &flags);
	if (e != AIM_OK)
		return e;
	return srv_json(rq, 200, json_pack("{s:I,s:I}", "documents", (json_int_t)docs, "flags",
	    (json_int_t)flags));
}
