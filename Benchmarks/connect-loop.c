// make bench's socket()+connect() loop for `run`'s preload library: listens on
// 127.0.0.1 (an ephemeral port), then COUNT times opens a socket, connects, accepts,
// and closes both ends. Run bare and with LD_PRELOAD=libmptcpwrap.so, its socket()
// calls (the listener's too) become MPTCP ones; with a second argument "mptcp" it asks
// for IPPROTO_MPTCP itself (what the library's sockets cost with no library in the way).
// Prints nothing; exits 1 on an error.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

int main(int argc, char **argv) {
    int count = argc > 1 ? atoi(argv[1]) : 10000;
    int protocol = argc > 2 && strcmp(argv[2], "mptcp") == 0 ? 262 : 0;
    int listener = socket(AF_INET, SOCK_STREAM, protocol);
    struct sockaddr_in address = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    socklen_t length = sizeof address;
    int on = 1;
    setsockopt(listener, SOL_SOCKET, SO_REUSEADDR, &on, sizeof on);
    if (listener < 0 || bind(listener, (struct sockaddr *)&address, sizeof address) != 0 || listen(listener, 128) != 0
        || getsockname(listener, (struct sockaddr *)&address, &length) != 0) {
        perror("listen");
        return 1;
    }
    for (int i = 0; i < count; i++) {
        int client = socket(AF_INET, SOCK_STREAM, protocol);
        if (client < 0 || connect(client, (struct sockaddr *)&address, sizeof address) != 0) { perror("connect"); return 1; }
        int server = accept(listener, NULL, NULL);
        if (server < 0) { perror("accept"); return 1; }
        close(client);
        close(server);
    }
    return 0;
}
