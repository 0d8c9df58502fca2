"""Views over the facts a node holds, and the node's store and key adapters."""
