/** Rate limits per user: a sliding window, counted on this node or across the cluster. */
package dev.switchboard.limits;
