# SPDX-License-Identifier: MIT
# netecho uses the network (Makefile: APP_USES).
APP_USES := net
