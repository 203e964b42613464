// Several tests stop and start the shared test broker (rabbitmqctl stop_app / start_app): run the classes one after another, so
// no test meets another's restart and no two restarts overlap (start_app during another test's stop_app fails).
[assembly: Xunit.CollectionBehavior(DisableTestParallelization = true)]
