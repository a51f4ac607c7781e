/* placeholder */
typedef int placeholder_unused;
