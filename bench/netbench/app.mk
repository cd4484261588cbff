# SPDX-License-Identifier: MIT
# netbench uses the network (Makefile: APP_USES).
APP_USES := net
