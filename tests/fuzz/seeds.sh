#!/bin/sh
# Rebuilds the seed corpora tests/fuzz/corpus/<fuzzer>/ from the project's real inputs:
#   manifest      fixtures/manifests/*.xml, plus small hand-made manifests (every field, raw
#                 bytes, and the hostile shapes the reader must refuse)
#   incident      every line of fixtures/incidents/*.ndjson (the invalid ones too)
#   search_query  every query of tests/unit/check_search.c, plus the README's examples
#   rule_pack     each rule of rules/packs/*.rules with its pack's header, one seed a rule;
#                 the noise list; fixtures/rules/ (good and broken); a two-pack seed
# Run from anywhere; commit the result.  The fuzzers' own finds stay out of the repository
# (make fuzz keeps them in build-fuzz/corpus/), but for regress-* files: inputs of fixed
# bugs (tests/fuzz/crashes/README.md), kept here and so replayed by every run.
set -eu
cd "$(dirname "$0")/../.."
out=tests/fuzz/corpus
[ ! -d "$out" ] || find "$out" -type f ! -name 'regress-*' -delete
mkdir -p "$out/manifest" "$out/incident" "$out/search_query" "$out/rule_pack"

# ---- manifest
for f in fixtures/manifests/*.xml; do
	cp "$f" "$out/manifest/fixture-$(basename "$f" .xml)"
done
hdr="<?xml version='1.0' encoding='UTF-8'?>
<dfxml xmlns='http://www.forensicswiki.org/wiki/Category:Digital_Forensics_XML' version='1.0'>"
cat > "$out/manifest/every-field" <<EOF
$hdr
<creator version='1.0'><program>fiwalk</program><version>4.11.1</version>
<execution_environment><command_line>fiwalk -X out.xml disk.img</command_line></execution_environment></creator>
<source><image_filename>disk.img</image_filename><case_number>AIM-2026-00017</case_number>
<evidence_number>E-3</evidence_number><examiner>Ivy</examiner></source>
<volume><fileobject>
<parent_object><inode>2</inode></parent_object>
<filename>Users/ivy/Pictures/IMG_0001.jpg</filename><filesize>20480</filesize>
<alloc>1</alloc><inode>1234</inode>
<mtime>2026-10-28T03:12:00Z</mtime><ctime>2026-10-28T03:12:00.5+02:00</ctime>
<atime>2026-10-28T03:12:00</atime><crtime>2026-10-28T03:12:00Z</crtime>
<hashdigest type='md5'>D41D8CD98F00B204E9800998ECF8427E</hashdigest>
<hashdigest type='sha1'>da39a3ee5e6b4b0d3255bfef95601890afd80709</hashdigest>
<hashdigest type='sha256'>e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855</hashdigest>
<byte_runs><byte_run offset='0' len='20480'><hashdigest type='md5'>00</hashdigest></byte_run></byte_runs>
</fileobject>
<fileobject><filename>deleted.txt</filename><unalloc>1</unalloc><alloc_name>0</alloc_name></fileobject>
</volume></dfxml>
EOF
printf '%s\n<fileobject><filename>caf\351 \377\376 \001\r x\\y \364\217\274\200</filename><filesize>1</filesize></fileobject>\n</dfxml>\n' \
	"$hdr" > "$out/manifest/raw-bytes"
printf '%s\n<fileobject><filename>a.txt</filename></fileobject>\n</dfxml>\n' "$hdr" \
	| tr '\n' '\r' > "$out/manifest/cr-only"
cat > "$out/manifest/prefixed" <<'EOF'
<d:dfxml xmlns:d='http://www.forensicswiki.org/wiki/Category:Digital_Forensics_XML'>
<d:fileobject><d:filename><![CDATA[a<b>&c]]></d:filename><d:filesize> 7 </d:filesize></d:fileobject>
</d:dfxml>
EOF
cat > "$out/manifest/doctype" <<'EOF'
<?xml version="1.0"?>
<!DOCTYPE dfxml [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>
<dfxml><fileobject><filename>&xxe;</filename></fileobject></dfxml>
EOF
printf '%s\n<fileobject><filename>a&amp;b&#233;&#x10FF41;</filename></fileobject></dfxml>\n' "$hdr" \
	> "$out/manifest/char-refs"
printf '%s\n<fileobject><filesize>1</filesize></fileobject></dfxml>\n' "$hdr" \
	> "$out/manifest/no-filename"
printf '%s\n<fileobject><filename>x</filename><hashdigest type="sha256">abc</hashdigest></fileobject></dfxml>\n' \
	"$hdr" > "$out/manifest/bad-hash"
printf '%s\n<a><a><a><a><a><a><a><a><a><a><a><a><a><a><a><a><a><a><a><a><a><a><a><a><a><a><a><a><a><a><a><a><a>\n' \
	"$hdr" > "$out/manifest/deep"
printf '<html><body>not a manifest</body></html>\n' > "$out/manifest/not-dfxml"
printf '%s\n<fileobject><filename>cut' "$hdr" > "$out/manifest/cut-short"

# ---- incident: one seed per NDJSON line
for f in fixtures/incidents/*.ndjson; do
	awk -v dir="$out/incident" -v base="$(basename "$f" .ndjson)" \
	    'NF { printf "%s\n", $0 > (dir "/" base "-" NR); close(dir "/" base "-" NR) }' "$f"
done

# shapes the fixtures lack: a case reference, the list limits (256 entries, 64 platforms)
cat > "$out/incident/case-ref" <<'EOF'
{"kind":"take_it_down","title":"t","narrative":"n","case_ref":"AIM-2026-00017","take_it_down":{"victim_minor":true,"depiction":"unknown","threat_only":true,"platforms":[{"name":"P","url":"https://p.example/1","removal_requested_at":"2026-11-20T10:00:00Z","removed_at":null}],"content_hashes":["e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"]}}
EOF
sed 's/AIM-2026-00017/AIM-26-1/' "$out/incident/case-ref" > "$out/incident/bad-case-ref"
awk 'BEGIN { printf "{\"kind\":\"ai_intrusion\",\"title\":\"t\",\"narrative\":\"n\","
	printf "\"ai_intrusion\":{\"target_system\":\"s\",\"access_vector\":\"other\",\"loss_usd\":0.29,"
	printf "\"indicators\":{\"ips\":["
	for (i = 0; i < 257; i++) printf "%s\"10.0.%d.%d\"", i ? "," : "", i / 256, i % 256
	printf "]}}}\n" }' > "$out/incident/many-ips"
awk 'BEGIN { printf "{\"kind\":\"take_it_down\",\"title\":\"t\",\"narrative\":\"n\","
	printf "\"take_it_down\":{\"victim_minor\":false,\"depiction\":\"authentic\",\"platforms\":["
	for (i = 0; i < 65; i++) printf "%s{\"name\":\"p%d\"}", i ? "," : "", i
	printf "]}}\n" }' > "$out/incident/many-platforms"

# ---- search_query: the string literals that check_search.c parses
sed -n -e 's/.*fts("\(\([^"\\]\|\\.\)*\)").*/\1/p' \
    -e 's/.*search_query_parse("\(\([^"\\]\|\\.\)*\)".*/\1/p' \
    -e 's/^[[:space:]]*{ "\(\([^"\\]\|\\.\)*\)", ".*/\1/p' tests/unit/check_search.c |
	sed -e 's/\\"/"/g' -e 's/\\\\/\\/g' |
	awk -v dir="$out/search_query" '{ f = dir "/check_search-" NR; printf "%s", $0 > f; close(f) }'
n=0
for q in 'nudify OR undress' 'kind:ai_intrusion "credit union" -test' \
    'kind:take_it_down status:open flag:tida.nudify indicator:203.0.113.45 case:AIM-2026-00012 after:2026-10-01 before:2026-11-01T00:00:00Z removal' \
    'agent (scraper OR (crawler -gptbot)) NOT test' 'cred* "patient portal"'; do
	n=$((n + 1))
	printf '%s' "$q" > "$out/search_query/readme-$n"
done

# ---- rule_pack: the header of each pack with one of its rules; the noise list after "%%"
for f in rules/packs/*.rules fixtures/rules/good/sample.rules; do
	awk -v dir="$out/rule_pack" -v base="$(basename "$f" .rules)" '
		/^\[/ { n++ }
		n == 0 { hdr = hdr $0 "\n"; next }
		{ rule[n] = rule[n] $0 "\n" }
		END { for (i = 1; i <= n; i++) { f = dir "/" base "-" i; printf "%s%s", hdr, rule[i] > f; close(f) } }' "$f"
done
first=$(ls "$out/rule_pack"/indicators-* | head -n 1)
{ cat "$first"; printf '%%%%\n'; cat rules/packs/noise.txt; } > "$out/rule_pack/with-noise"
{ cat fixtures/rules/good/sample.rules; printf '%%%%\n'; cat fixtures/rules/good/noise.txt; } \
	> "$out/rule_pack/fixture-good"
cp fixtures/rules/broken/broken.rules "$out/rule_pack/fixture-broken"
{ cat "$first"; printf '%%%%\n\n%%%%\n'; cat "$first"; } > "$out/rule_pack/two-packs"

for d in "$out"/*; do
	echo "$(basename "$d"): $(ls "$d" | wc -l) seeds"
done
