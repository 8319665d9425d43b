/* The init functions of the graph module's options structs. */
#include <string.h>

#include "callviz/graph.h"

void cv_graph_options_init(cv_graph_options *o)
{
	memset(o, 0, sizeof(*o));
	o->version = CV_GRAPH_OPTIONS_VERSION;
}

void cv_trim_options_init(cv_trim_options *o)
{
	memset(o, 0, sizeof(*o));
	o->version = CV_TRIM_OPTIONS_VERSION;
	o->node_fraction = 0.005;
	o->edge_fraction = 0.001;
}

void cv_filter_options_init(cv_filter_options *o)
{
	memset(o, 0, sizeof(*o));
	o->version = CV_FILTER_OPTIONS_VERSION;
}
