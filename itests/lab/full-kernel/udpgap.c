/*
 * udpgap: the full-kernel lab's UDP responder and gap meter (busybox nc cannot listen on UDP).
 *
 *   udpgap echo [-d] PORT
 *       echoes every datagram to its sender on one dual-stack socket; -d: runs in the background (detached,
 *       stdio closed) and prints nothing.
 *   udpgap meter [-p PIDFILE] ADDR PORT RATE SECONDS
 *       sends RATE datagrams/s (8-byte sequence numbers) to ADDR:PORT for SECONDS or until SIGTERM/SIGINT,
 *       counts the echoed ones, then prints one line:
 *         sent=N received=N lost=N longest_gap_ms=G first_reply_ms=F
 *       longest_gap_ms: the longest time without an echo, between two echoes or from the last echo to the last
 *       datagram sent (a stream that never came back counts); first_reply_ms: from start to the first echo
 *       (-1: none). Echoes arriving within 300 ms after the last datagram still count.
 *   udpgap announce IFACE [COUNT]
 *       what QEMU does after a migration (qemu_announce_self): COUNT (default 1) broadcast RARP frames from
 *       IFACE's MAC, so that the bridges on the way learn where the guest is now.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <arpa/inet.h>
#include <linux/if_packet.h>
#include <net/ethernet.h>
#include <net/if.h>
#include <sys/ioctl.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

static volatile sig_atomic_t stop;

static void on_signal(int sig) { (void) sig; stop = 1; }

static double now_ms(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec * 1e3 + t.tv_nsec / 1e6;
}

static int echo(int argc, char **argv) {
    int background = argc > 2 && strcmp(argv[2], "-d") == 0;
    if (argc != 3 + background) {
        fprintf(stderr, "usage: udpgap echo [-d] PORT\n");
        return 2;
    }
    int port = atoi(argv[2 + background]), off = 0;
    int s = socket(AF_INET6, SOCK_DGRAM, 0);
    struct sockaddr_in6 a = {0};
    if (s < 0) { perror("udpgap: socket"); return 1; }
    setsockopt(s, IPPROTO_IPV6, IPV6_V6ONLY, &off, sizeof off);
    a.sin6_family = AF_INET6;
    a.sin6_port = htons((unsigned short) port);
    a.sin6_addr = in6addr_any;
    if (bind(s, (struct sockaddr *) &a, sizeof a) < 0) { perror("udpgap: bind"); return 1; }
    /* Bound before detaching: when "udpgap echo -d" returns 0, the port answers. */
    if (background && daemon(0, 0) < 0) { perror("udpgap: daemon"); return 1; }
    for (;;) {
        char buf[2048];
        struct sockaddr_in6 from;
        socklen_t len = sizeof from;
        ssize_t n = recvfrom(s, buf, sizeof buf, 0, (struct sockaddr *) &from, &len);
        if (n >= 0) sendto(s, buf, (size_t) n, 0, (struct sockaddr *) &from, len);
    }
}

static int meter(int argc, char **argv) {
    const char *pidfile = NULL;
    int i = 2;
    if (argc > 3 && strcmp(argv[2], "-p") == 0) { pidfile = argv[3]; i = 4; }
    if (argc != i + 4) {
        fprintf(stderr, "usage: udpgap meter [-p PIDFILE] ADDR PORT RATE SECONDS\n");
        return 2;
    }
    const char *addr = argv[i], *port = argv[i + 1];
    long rate = atol(argv[i + 2]), seconds = atol(argv[i + 3]);
    if (rate < 1 || rate > 100000 || seconds < 1 || seconds > 3600) {
        fprintf(stderr, "udpgap: RATE 1..100000, SECONDS 1..3600\n");
        return 2;
    }
    /* Numeric addresses only (no resolver in a static binary): IPv6 when it has a colon. */
    struct sockaddr_in6 a6 = {0};
    struct sockaddr_in a4 = {0};
    struct sockaddr *sa;
    socklen_t salen;
    int p = atoi(port);
    if (inet_pton(AF_INET6, addr, &a6.sin6_addr) == 1) {
        a6.sin6_family = AF_INET6;
        a6.sin6_port = htons((unsigned short) p);
        sa = (struct sockaddr *) &a6;
        salen = sizeof a6;
    } else if (inet_pton(AF_INET, addr, &a4.sin_addr) == 1) {
        a4.sin_family = AF_INET;
        a4.sin_port = htons((unsigned short) p);
        sa = (struct sockaddr *) &a4;
        salen = sizeof a4;
    } else {
        fprintf(stderr, "udpgap: %s is not a numeric IPv4 or IPv6 address\n", addr);
        return 2;
    }
    int s = socket(sa->sa_family, SOCK_DGRAM, 0);
    if (s < 0 || connect(s, sa, salen) < 0) { perror("udpgap: socket/connect"); return 1; }
    if (pidfile) {
        FILE *f = fopen(pidfile, "w");
        if (!f) { perror(pidfile); return 1; }
        fprintf(f, "%d\n", (int) getpid());
        fclose(f);
    }
    signal(SIGTERM, on_signal);
    signal(SIGINT, on_signal);

    uint64_t total = (uint64_t) rate * (uint64_t) seconds;
    unsigned char *seen = calloc(total / 8 + 1, 1);
    uint64_t sent = 0, received = 0;
    double start = now_ms(), interval = 1000.0 / rate, last_reply = -1, longest = 0, first = -1, last_send = start;
    double grace_end = -1;
    for (;;) {
        double t = now_ms();
        if (grace_end < 0 && (stop || sent >= total)) grace_end = t + 300;
        if (grace_end >= 0 && t >= grace_end) break;
        while (grace_end < 0 && sent < total && t >= start + sent * interval) {
            uint64_t seq = sent;
            /* A full socket buffer drops the datagram here: it counts as sent and lost, like on the wire. */
            send(s, &seq, sizeof seq, MSG_DONTWAIT);
            sent++;
            last_send = t;
        }
        double next = grace_end >= 0 ? grace_end : start + sent * interval;
        int wait = (int) (next - now_ms());
        struct pollfd p = {.fd = s, .events = POLLIN};
        if (poll(&p, 1, wait > 0 ? wait : 0) > 0) {
            uint64_t seq;
            while (recv(s, &seq, sizeof seq, MSG_DONTWAIT) == (ssize_t) sizeof seq) {
                if (seq >= sent || (seen[seq / 8] & (1u << (seq % 8)))) continue;
                seen[seq / 8] |= (unsigned char) (1u << (seq % 8));
                received++;
                double r = now_ms();
                if (first < 0) first = r - start;
                else if (r - last_reply > longest) longest = r - last_reply;
                last_reply = r;
            }
        }
    }
    double tail = (last_reply < 0 ? start : last_reply);
    if (last_send - tail > longest) longest = last_send - tail;
    printf("sent=%llu received=%llu lost=%llu longest_gap_ms=%.1f first_reply_ms=%.1f\n",
           (unsigned long long) sent, (unsigned long long) received, (unsigned long long) (sent - received),
           longest, first);
    if (pidfile) unlink(pidfile);
    return 0;
}

static int announce(int argc, char **argv) {
    if (argc < 3 || argc > 4) {
        fprintf(stderr, "usage: udpgap announce IFACE [COUNT]\n");
        return 2;
    }
    int count = argc > 3 ? atoi(argv[3]) : 1;
    int s = socket(AF_PACKET, SOCK_RAW, htons(ETH_P_RARP));
    if (s < 0) { perror("udpgap: packet socket"); return 1; }
    struct ifreq ifr = {0};
    snprintf(ifr.ifr_name, sizeof ifr.ifr_name, "%s", argv[2]);
    if (ioctl(s, SIOCGIFINDEX, &ifr) < 0) { perror(argv[2]); return 1; }
    int index = ifr.ifr_ifindex;
    if (ioctl(s, SIOCGIFHWADDR, &ifr) < 0) { perror(argv[2]); return 1; }
    unsigned char *mac = (unsigned char *) ifr.ifr_hwaddr.sa_data;
    /* QEMU's frame: broadcast, ethertype RARP, "reverse request" with the sender's MAC as both hardware addresses. */
    unsigned char f[60] = {0};
    memset(f, 0xff, 6);
    memcpy(f + 6, mac, 6);
    f[12] = 0x80; f[13] = 0x35;
    f[14] = 0; f[15] = 1; f[16] = 0x08; f[17] = 0; f[18] = 6; f[19] = 4; f[20] = 0; f[21] = 3;
    memcpy(f + 22, mac, 6);
    memcpy(f + 32, mac, 6);
    struct sockaddr_ll to = {0};
    to.sll_family = AF_PACKET;
    to.sll_ifindex = index;
    to.sll_halen = 6;
    memset(to.sll_addr, 0xff, 6);
    for (int i = 0; i < count; i++) {
        if (sendto(s, f, sizeof f, 0, (struct sockaddr *) &to, sizeof to) < 0) { perror("udpgap: sendto"); return 1; }
    }
    return 0;
}

int main(int argc, char **argv) {
    if (argc > 1 && strcmp(argv[1], "echo") == 0) return echo(argc, argv);
    if (argc > 1 && strcmp(argv[1], "meter") == 0) return meter(argc, argv);
    if (argc > 1 && strcmp(argv[1], "announce") == 0) return announce(argc, argv);
    fprintf(stderr, "usage: udpgap echo [-d] PORT | udpgap meter [-p PIDFILE] ADDR PORT RATE SECONDS"
                    " | udpgap announce IFACE [COUNT]\n");
    return 2;
}
