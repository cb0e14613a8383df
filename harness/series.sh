#!/bin/bash
# series.sh COMMAND
#
# patches/ + series are the source of truth.  Everything else is derived:
#
#   devtree  out/dev: a git tree of the stripped base with the series applied
#            as commits (git am).  Edit there, commit (fixups, rebase -i).
#   export   write patches/ and series from out/dev (git format-patch,
#            byte-identical on rerun), then regenerate the overlay.
#   overlay  apply the series to the stripped base with quilt and copy every
#            file it touches, as it stands afterwards, to the top level.
#   check    prove the series applies with quilt push -a and with git am
#            onto the stripped base and that the overlay agrees with it.
#   srctree  out/src: stripped base + overlay, updated in place so that
#            unchanged files keep their timestamps (incremental builds).
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
out=$top/out
base=$("$top/harness/prepare-base.sh" "$out")
stripped=$base/stripped
export QUILT_PATCHES=patches QUILT_NO_DIFF_TIMESTAMPS=1 QUILT_NO_DIFF_INDEX=1
export GIT_COMMITTER_NAME="KVM series" GIT_COMMITTER_EMAIL="series@localhost"

die() { echo "series: $*" >&2; exit 1; }

# Paths the series touches, one per line, sorted.
touched() {
	local p
	while read -r p; do
		sed -n 's|^diff --git a/\([^ ]*\) b/.*|\1|p' "$top/patches/$p"
	done < "$top/series" | LC_ALL=C sort -u
}

# Non-kernel files of the repository; everything else tracked is overlay.
overlay_files() {
	git -C "$top" ls-files | grep -vE '^(patches/|harness/|\.ci/|series$|README$|Makefile$|MAINTAINERS\.fragment$|\.gitignore$)' || true
}

# A fresh copy of the stripped base with the series pushed by quilt.
quilt_tree() {
	local dst=$1
	rm -rf "$dst"
	cp -al "$stripped" "$dst"
	ln -s "$top/patches" "$dst/patches"
	# quilt finds its series file in the top directory of the tree.
	cp "$top/series" "$dst/series"
	(cd "$dst" && quilt push -aq >/dev/null) || die "quilt push -a failed"
}

cmd_devtree() {
	local dev=$out/dev
	[ -e "$dev" ] && die "$dev exists; move it away first"
	cp -a "$stripped" "$dev"
	rm -f "$dev/.stripped"
	cd "$dev"
	git init -q
	git add -A -f
	GIT_AUTHOR_DATE="2024-01-01T00:00:00Z" GIT_COMMITTER_DATE="2024-01-01T00:00:00Z" \
		git commit -q -m "base: stripped $(basename "$base")"
	git tag base
	while read -r p; do
		git am -q --keep-cr "$top/patches/$p" || die "git am $p failed"
	done < "$top/series"
	echo "series: $dev ready (tag 'base' is the stripped base)"
}

cmd_export() {
	local dev=$out/dev
	git -C "$dev" rev-parse -q --verify base >/dev/null || die "no $dev with tag base"
	rm -rf "$top/patches"
	mkdir -p "$top/patches"
	git -C "$dev" format-patch -q --zero-commit --no-signature --no-numbered \
		-o "$top/patches" base..HEAD
	(cd "$top/patches" && ls -1 ./*.patch | sed 's|^\./||') > "$top/series"
	cmd_overlay
}

cmd_overlay() {
	local q=$out/series-quilt f
	quilt_tree "$q"
	overlay_files | while read -r f; do
		[ -n "$f" ] && rm -f "$top/$f"
	done
	touched | while read -r f; do
		mkdir -p "$(dirname "$top/$f")"
		cp "$q/$f" "$top/$f"
	done
	# Drop directories the overlay no longer uses.
	for d in arch block Documentation drivers include kernel tools virt; do
		[ -d "$top/$d" ] && find "$top/$d" -type d -empty -delete
	done
	# Stage the result so that the next run knows every overlay file (and
	# removes the ones a changed series no longer produces).
	mapfile -t roots < <(touched | cut -d/ -f1 | sort -u)
	git -C "$top" add -A -- "${roots[@]}"
	rm -rf "$q"
	echo "series: overlay regenerated ($(touched | wc -l) files)"
}

cmd_check() {
	local q=$out/series-quilt g=$out/series-am f p ok=1
	[ -f "$top/series" ] || die "no series file"
	while read -r p; do
		[ -f "$top/patches/$p" ] || die "series names missing patch $p"
	done < "$top/series"
	for p in "$top"/patches/*.patch; do
		grep -qxF "$(basename "$p")" "$top/series" || die "$(basename "$p") is not in series"
	done

	quilt_tree "$q"

	# git am onto the stripped base.  Only the files the series touches
	# matter to git am, so the base commit holds just their pre-images.
	rm -rf "$g"
	mkdir -p "$g"
	git -C "$g" init -q
	touched | while read -r f; do
		if [ -f "$stripped/$f" ]; then
			mkdir -p "$(dirname "$g/$f")"
			cp "$stripped/$f" "$g/$f"
		fi
	done
	git -C "$g" add -A -f
	git -C "$g" -c user.name=base -c user.email=base@localhost \
		commit -q --allow-empty -m base
	while read -r p; do
		git -C "$g" am -q "$top/patches/$p" >/dev/null 2>&1 || die "git am of $p failed"
	done < "$top/series"

	while read -r f; do
		cmp -s "$q/$f" "$g/$f" || { echo "series: quilt and git am differ on $f" >&2; ok=0; }
		cmp -s "$q/$f" "$top/$f" || { echo "series: overlay differs from the series: $f" >&2; ok=0; }
	done < <(touched)
	while read -r f; do
		touched | grep -qxF "$f" || { echo "series: overlay file not produced by the series: $f" >&2; ok=0; }
	done < <(overlay_files)
	if [ -f "$q/MAINTAINERS" ] && touched | grep -qx MAINTAINERS; then
		"$top/harness/maintainers.py" --check "$top/MAINTAINERS.fragment" \
			"$stripped/MAINTAINERS" "$q/MAINTAINERS" || ok=0
	fi
	rm -rf "$q" "$g"
	[ $ok = 1 ] || die "overlay and series disagree; run 'make overlay' (or 'make export' after editing out/dev)"
	echo "series: $(wc -l < "$top/series") patches apply with quilt and git am; overlay agrees"
}

cmd_srctree() {
	local src=$out/src f
	if [ ! -f "$src/.srctree" ]; then
		rm -rf "$src"
		cp -al "$stripped" "$src"
		rm -f "$src/.stripped"
		: > "$src/.srctree"
	fi
	# Restore files a previous overlay had that this one does not.
	while read -r f; do
		touched | grep -qxF "$f" && continue
		rm -f "$src/$f"
		[ -f "$stripped/$f" ] && cp -al "$stripped/$f" "$src/$f"
	done < "$src/.srctree"
	touched > "$src/.srctree.new"
	while read -r f; do
		if ! cmp -s "$top/$f" "$src/$f"; then
			mkdir -p "$(dirname "$src/$f")"
			# Never write through a hard link into the base.
			rm -f "$src/$f"
			cp "$top/$f" "$src/$f"
		fi
	done < "$src/.srctree.new"
	mv "$src/.srctree.new" "$src/.srctree"
	echo "$src"
}

case "${1:-}" in
devtree|export|overlay|check|srctree) "cmd_$1" ;;
*) die "usage: series.sh devtree|export|overlay|check|srctree" ;;
esac
