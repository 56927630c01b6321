"""The adversarial review's findings (issue 11), each tied to the regression tests that hold it.

The tests live beside the code they exercise (the endpoint's limits in test_serve_limits.py, the
remote client in test_remote.py, ...); this index keeps the review's numbering so a finding never
loses its test silently: renaming or deleting one of them fails here.
"""

import importlib

import pytest

FINDINGS = {
    "1 SSRF through SERVICE": [
        "test_federation::test_every_form_of_service_is_refused_and_nothing_is_fetched",
        "test_federation::test_refused_through_the_worker_processes_too",
        "test_federation::test_an_allowed_endpoint_is_queried_and_announced",
        "test_federation::test_what_another_server_said_is_never_echoed",
    ],
    "2 memory bounds on the query path": [
        "test_serve_limits::test_bodies_and_queries_past_their_size_are_413",
        "test_serve_limits::test_a_query_past_the_worker_memory_fails_fast_and_the_worker_is_replaced",
        "test_serve_operate::test_construct_and_describe_past_max_rows_are_refused",
        "test_serve_operate::test_an_answer_past_max_bytes_is_refused",
        "test_serve_operate::test_large_answers_stream_from_a_file_that_is_gone_afterwards",
    ],
    "3 crashed workers told from timeouts": [
        "test_engine_faults::test_upstream_order_by_mixed_kinds_does_not_abort",
        "test_engine_faults::test_the_cli_says_the_engine_crashed_and_exits_2",
        "test_engine_faults::test_deep_nesting_is_refused_before_parsing",
        "test_engine_faults::test_a_crashed_worker_is_no_timeout_and_is_replaced",
    ],
    "4 one immutable build, reloaded on request": [
        "test_serve_limits::test_the_server_keeps_serving_its_build_when_the_folder_changes",
        "test_serve_limits::test_sighup_serves_the_new_build_on_every_path_at_once",
    ],
    "5 a few slow queries deny service to all": [
        "test_serve_limits::test_a_full_queue_is_answered_at_once",
        "test_serve_limits::test_turns_go_to_the_client_that_had_fewest",
        "test_serve_limits::test_a_client_past_its_waiting_share_is_answered_at_once",
        "test_serve_limits::test_pages_answer_while_every_worker_is_busy",
    ],
    "6 slowloris": ["test_serve_limits::test_headers_sent_slowly_are_cut_off"],
    "7 --out wipes its folder": [
        "test_files::test_a_folder_idmgraph_did_not_write_is_refused",
        "test_files::test_a_rebuild_keeps_the_analysis_and_views_inside_the_build",
        "test_files::test_leftovers_of_a_killed_write_are_cleaned",
    ],
    "8 remote clients hang and believe redirects": [
        "test_remote::test_a_hostile_endpoint_ends_in_an_error_not_a_hang",
        "test_remote::test_a_refused_connection_is_exit_2",
    ],
    "9 javascript: links, no CSP": [
        "test_serve::test_a_javascript_url_is_refused_at_build_and_never_a_link",
        "test_serve::test_pages_and_errors_carry_a_policy_and_nosniff",
    ],
    "10 CSV formula injection": [
        "test_csv_safety::test_no_csv_for_spreadsheets_starts_a_formula",
        "test_csv_safety::test_workbooks_and_excel_csv_keep_accents_and_carry_no_formula",
    ],
    "11 tracebacks instead of errors": [
        "test_bad_inputs::test_a_bad_source_yml_names_its_line_and_field",
        "test_bad_inputs::test_a_yaml_bomb_is_refused_before_it_expands",
        "test_bad_inputs::test_a_malformed_curation_file_names_its_line",
        "test_bad_inputs::test_hostile_parameter_values_are_usage_errors",
        "test_bad_inputs::test_a_device_is_no_agenda",
    ],
    "12 names without Latin letters": [
        "test_iris::test_names_in_any_script_get_keys_of_their_own",
        "test_iris::test_people_with_names_in_other_scripts_are_five_people",
    ],
    "13 VoID caches the first Host": ["test_serve::test_void_names_each_clients_own_host"],
    "14 smaller findings": [
        "test_cli::test_control_characters_from_an_agenda_never_reach_the_terminal",
        "test_serve_limits::test_a_url_past_the_limit_gets_414_not_a_reset",
        "test_cli::test_serve_settings_out_of_range_are_usage_errors",
        "test_serve_operate::test_the_server_stops_quietly",
    ],
    "load under hostile queries": ["test_serve::test_survives_2000_mixed_queries_from_8_clients"],
}


@pytest.mark.parametrize("finding", sorted(FINDINGS, key=lambda f: (len(f.split()[0]), f)))
def test_every_finding_keeps_its_regression_tests(finding):
    for ref in FINDINGS[finding]:
        module, name = ref.split("::")
        test = getattr(importlib.import_module(module), name, None)
        assert callable(test), f"finding {finding!r}: its test {ref} is gone"
