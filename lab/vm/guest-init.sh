#!/bin/sh
# PID 1 of the kernel lab guest. The root is an initramfs, so nothing here persists
# except /var/lib/docker on the attached disk. Lines starting with "lab:" are read by
# the host (lab/vm/console.ts); keep their wording stable.
export PATH=/usr/sbin:/usr/bin:/sbin:/bin
mark() { echo "lab: $1 at $(cut -d' ' -f1 /proc/uptime)s"; }

mount -t proc proc /proc
mount -t sysfs sys /sys
mount -t devtmpfs dev /dev
mkdir -p /dev/pts /dev/shm /run /tmp /sys/fs/cgroup /var/lib/docker
mount -t devpts devpts /dev/pts
mount -t tmpfs tmpfs /dev/shm
mount -t tmpfs tmpfs /run
mount -t tmpfs tmpfs /tmp
mount -t cgroup2 cgroup2 /sys/fs/cgroup
hostname lvs-lab
mark "kernel up $(uname -r)"

# The cloud kernel builds virtio, IPVS and netfilter as modules: nothing works until they
# are loaded, and a container cannot load them itself.
KMOD=/lib/modules/$(uname -r)/kernel
modprobe -a virtio_pci virtio_net virtio_blk overlay veth bridge ipip tun 8021q 2>/dev/null
modprobe -a $(find $KMOD/net/netfilter/ipvs -name 'ip_vs*.ko*' -exec basename {} \; | sed 's/\.ko.*//') 2>/dev/null
modprobe -a ip_tables iptable_filter iptable_mangle iptable_nat iptable_raw \
  nf_tables nft_compat nft_chain_nat xt_mark xt_MARK xt_tcpudp xt_multiport xt_conntrack xt_ipvs 2>/dev/null
mark "modules loaded ($(ls /sys/module | grep -c '^ip_vs') ip_vs modules)"

# Only the QEMU user network (restrict=on) is attached: no default route, nothing leaves.
ip link set lo up
NIC=$(ls /sys/class/net | grep -v '^lo$' | head -n1)
ip link set "$NIC" up
ip addr add 10.0.2.15/24 dev "$NIC"

if [ -b /dev/vda ]; then
  mount -o noatime /dev/vda /var/lib/docker || { echo "lab: FATAL cannot mount the docker disk"; }
fi

# DOCKER_RAMDISK: runc cannot pivot_root out of an initramfs.
# --tls=false: dockerd 20.10 otherwise sleeps 15 s to warn about a plain TCP listener (it is
# reachable only through QEMU's loopback forward).
# --ip-forward=false keeps the guest from routing between the lab networks, so that only
# the director joins them; --iptables=false leaves no MASQUERADE rule and no br_netfilter.
DOCKER_RAMDISK=true dockerd -H tcp://10.0.2.15:2375 -H unix:///var/run/docker.sock --tls=false \
  --iptables=false --ip6tables=false --ip-forward=false --ip-masq=false --bridge=none \
  --userland-proxy=false --storage-driver=overlay2 --log-level=error \
  >/run/dockerd.log 2>&1 &
DOCKERD=$!
mark "dockerd started"
i=0
# dockerd creates its unix socket last, once the API serves (the host then polls /_ping).
until [ -S /var/run/docker.sock ]; do
  i=$((i+1)); [ $i -gt 1500 ] && { echo "lab: FATAL dockerd did not come up"; tail -n 20 /run/dockerd.log; break; }
  kill -0 $DOCKERD 2>/dev/null || { echo "lab: FATAL dockerd exited"; tail -n 20 /run/dockerd.log; break; }
  sleep 0.2
done
mark "dockerd ready"

# The host sends commands on the console: "poweroff" stops dockerd cleanly so that the
# docker disk is consistent (used when baking the image into it).
while read -r cmd; do
  case "$cmd" in
    poweroff)
      kill $DOCKERD; wait $DOCKERD
      sync; umount /var/lib/docker; sync
      mark "powering off"
      echo o > /proc/sysrq-trigger ;;
    dockerd-log) cat /run/dockerd.log ;;
    # Asked when dockerd stops answering (lab/vm/engine-watch.ts): where its goroutines wait
    # (SIGUSR1 writes their stacks to a file) and which tasks the kernel holds blocked.
    stall-report)
      kill -USR1 $DOCKERD; sleep 3
      f=$(ls -t /var/run/docker/goroutine-stacks-*.log /var/lib/docker/goroutine-stacks-*.log 2>/dev/null | head -n1)
      fns=$(for fn in processEndpointDelete getSvcRecords sbLeave; do grep -q "$fn" "$f" 2>/dev/null && printf ' %s' "$fn"; done)
      echo "lab: stall dockerd goroutines=$(grep -c '^goroutine ' "$f" 2>/dev/null) lock-waits=$(grep -c 'semacquire' "$f" 2>/dev/null) in:$fns"
      echo "lab: stall blocked tasks:$(ps -eo stat=,comm= | awk '$1 ~ /^D/ {printf " %s", $2}')"
      mark "stall reported" ;;
  esac
done
# Console closed: keep PID 1 alive.
while :; do sleep 3600; done
