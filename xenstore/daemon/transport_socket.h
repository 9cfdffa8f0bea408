/*
 * transport_socket.h - the UNIX socket dom0 tools connect to.
 *
 * Every client of the socket is a privileged (domain 0) connection, as in
 * C xenstored; the socket's file mode (0600 by default) is the guard.
 */
#ifndef XS_TRANSPORT_SOCKET_H
#define XS_TRANSPORT_SOCKET_H

/* Bind and listen at path (an old socket file is replaced). Returns the
 * listening fd or a negative errno. */
int socket_listen(const char *path);
/* Accept one client and make it a connection. */
void socket_accept(int listen_fd);

#endif /* XS_TRANSPORT_SOCKET_H */
