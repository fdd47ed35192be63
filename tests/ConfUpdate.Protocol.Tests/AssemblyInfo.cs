// Fixtures share no state (each socket fixture has its own temp directory), so they may run side by
// side; the tests inside one fixture stay sequential because they share its SetUp/TearDown fields.
[assembly: Parallelizable(ParallelScope.Fixtures)]
