# SPDX-License-Identifier: MIT
# httpd uses the network (Makefile: APP_USES).
APP_USES := net
