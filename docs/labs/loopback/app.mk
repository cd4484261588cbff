# SPDX-License-Identifier: MIT
# The lab's program uses the network (Makefile: APP_USES).
APP_USES := net
