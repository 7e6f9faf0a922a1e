# Copyright 2026 fr_dunning_addon contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo.exceptions import AccessError, UserError
from odoo.tests import new_test_user

from .common import FrDunningCase


class TestFoundation(FrDunningCase):
    def _event(self, company, partner=None, **vals):
        return (
            self.env["fr.dunning.event"]
            .sudo()
            .with_company(company)
            .create(
                {
                    "name": "Relance amiable",
                    "company_id": company.id,
                    "partner_id": (partner or self.partner_a).id,
                    "event_type": "reminder",
                    "channel": "email",
                    **vals,
                }
            )
        )

    def test_addon_installed(self):
        module = self.env["ir.module.module"].search([("name", "=", "fr_dunning_addon")])
        self.assertRecordValues(module, [{"state": "installed", "latest_version": "18.0.1.1.0"}])
        self.assertEqual(
            set(module.dependencies_id.mapped("name")),
            {"account", "mail"},
            "the addon must depend on account and mail only",
        )

    def test_groups_chain(self):
        user_group = self.env.ref("fr_dunning_addon.group_fr_dunning_user")
        manager_group = self.env.ref("fr_dunning_addon.group_fr_dunning_manager")
        self.assertIn(user_group, manager_group.trans_implied_ids)
        self.assertIn(self.env.ref("account.group_account_invoice"), user_group.trans_implied_ids)
        self.assertIn(user_group, self.env.ref("account.group_account_user").trans_implied_ids)
        self.assertIn(manager_group, self.env.ref("account.group_account_manager").trans_implied_ids)
        # A dunning user is not a dunning manager.
        self.assertTrue(self.dunning_user.has_group("fr_dunning_addon.group_fr_dunning_user"))
        self.assertFalse(self.dunning_user.has_group("fr_dunning_addon.group_fr_dunning_manager"))

    def test_menu_visible_to_accountants_only(self):
        root = self.env.ref("fr_dunning_addon.menu_fr_dunning_root")
        self.assertEqual(root.parent_id, self.env.ref("account.menu_finance_receivables"))
        accountant = new_test_user(
            self.env,
            login="fr_dunning_accountant",
            groups="account.group_account_user",
            company_id=self.company.id,
            company_ids=[self.company.id],
        )
        salesman = new_test_user(self.env, login="fr_dunning_salesman", groups="base.group_user")
        Menu = self.env["ir.ui.menu"]
        expected = {
            root,
            self.env.ref("fr_dunning_addon.menu_fr_dunning_overdue_invoices"),
            self.env.ref("fr_dunning_addon.menu_fr_dunning_event"),
        }
        for user in (accountant, self.dunning_user, self.dunning_manager):
            visible = Menu.browse(Menu.with_user(user)._visible_menu_ids())
            self.assertLessEqual(expected, set(visible), user.login)
        visible = Menu.browse(Menu.with_user(salesman)._visible_menu_ids())
        self.assertNotIn(root, visible)

    def test_menu_tree(self):
        """Relances holds the three screens of the morning (what to chase today,
        who is late, what to print), then the cases, the analysis and the
        configuration; each user sees the branches of its groups."""

        def ref(name):
            return self.env.ref(f"fr_dunning_addon.menu_fr_dunning_{name}")

        def children(menu, user):
            Menu = self.env["ir.ui.menu"].with_user(user)
            visible = set(Menu._visible_menu_ids())
            return [child.id for child in menu.child_id.sorted("sequence") if child.id in visible]

        def ids(*names):
            return [ref(name).id for name in names]

        morning = ("preview", "customers", "letters")
        cases = (
            "calls",
            "replies",
            "dispute",
            "promise",
            "payment_plan",
            "litigation",
            "proceedings",
            "prescription",
            "insurance_cover",
            "lifecycle",
            "lifecycle_hold",
            "lifecycle_import",
            "portal_access",
        )
        analysis = ("dashboard", "overdue_invoices", "reminder_stats", "recovery", "event", "run")
        readonly = new_test_user(
            self.env,
            login="fr_dunning_menu_auditor",
            groups="account.group_account_readonly",
            company_id=self.company.id,
            company_ids=[self.company.id],
        )
        root = ref("root")
        self.assertEqual(children(root, self.dunning_manager), ids(*morning, "cases", "analysis", "config"))
        self.assertEqual(children(root, self.dunning_user), ids(*morning, "cases", "analysis"))
        # An auditor reads: nothing to chase nor any call to make.
        self.assertEqual(children(root, readonly), ids("customers", "letters", "cases", "analysis"))
        self.assertEqual(children(ref("cases"), self.dunning_user), ids(*cases))
        # Nor replies to act on, nor statuses to import, nor the customers' links.
        self.assertEqual(children(ref("cases"), readonly), ids(*cases[2:-2]))
        self.assertEqual(children(ref("analysis"), self.dunning_user), ids(*analysis))
        self.assertEqual(
            children(ref("config"), self.dunning_manager),
            ids("policy", "legal_rate", "legal_rate_proposal", "court_rule", "insurance_policy"),
        )
        # Every list of a case kind is in Cases, and only there.
        actions = {
            "fr.dunning.dispute",
            "fr.dunning.promise",
            "fr.dunning.payment.plan",
            "fr.dunning.litigation",
        }
        case_menus = (
            self.env["ir.ui.menu"]
            .search([("id", "child_of", root.id), ("action", "!=", False)])
            .filtered(lambda menu: getattr(menu.action.sudo(), "res_model", None) in actions)
        )
        self.assertEqual(case_menus.parent_id, ref("cases"))
        self.assertEqual(len(case_menus), 4)

    def test_event_multi_company(self):
        other_company = self.setup_other_company()["company"]
        mine = self._event(self.company)
        theirs = self._event(other_company)
        other_user = new_test_user(
            self.env,
            login="fr_dunning_other_company",
            groups="fr_dunning_addon.group_fr_dunning_user",
            company_id=other_company.id,
            company_ids=[other_company.id],
        )
        Event = self.env["fr.dunning.event"]
        self.assertEqual(Event.with_user(self.dunning_user).search([("id", "in", (mine | theirs).ids)]), mine)
        self.assertEqual(Event.with_user(other_user).search([("id", "in", (mine | theirs).ids)]), theirs)
        with self.assertRaises(AccessError):
            mine.with_user(other_user).read(["name"])

    def test_event_is_evidence(self):
        event = self._event(self.company)
        # Events are recorded by the dunning actions: never by hand, never changed.
        with self.assertRaises(AccessError):
            self.env["fr.dunning.event"].with_user(self.dunning_user).create(
                {"name": "Appel", "partner_id": self.partner_a.id, "event_type": "call", "channel": "phone"}
            )
        with self.assertRaises(UserError):
            event.with_user(self.dunning_user).write({"name": "Autre"})
        with self.assertRaises(UserError):
            event.with_user(self.dunning_user).write({"note": "<p>Rappelé le 24/11</p>"})
        with self.assertRaises(AccessError):
            event.with_user(self.dunning_manager).unlink()
        with self.assertRaises(UserError):
            event.sudo().unlink()
        self.assertTrue(event.exists())

    def test_event_refused_without_dunning_group(self):
        salesman = new_test_user(self.env, login="fr_dunning_salesman2", groups="base.group_user")
        with self.assertRaises(AccessError):
            self.env["fr.dunning.event"].with_user(salesman).search([])

    def test_french_translation(self):
        self.env["res.lang"]._activate_lang("fr_FR")
        self.env["ir.module.module"]._load_module_terms(["fr_dunning_addon"], ["fr_FR"], overwrite=True)
        fr_env = self.env(context=dict(self.env.context, lang="fr_FR"))
        self.assertEqual(fr_env.ref("fr_dunning_addon.menu_fr_dunning_root").name, "Relances")
        self.assertEqual(fr_env.ref("fr_dunning_addon.group_fr_dunning_user").name, "Relances : utilisateur")
        self.assertEqual(
            fr_env.ref("fr_dunning_addon.group_fr_dunning_manager").name, "Relances : responsable"
        )
        self.assertEqual(
            fr_env.ref("fr_dunning_addon.menu_fr_dunning_overdue_invoices").name, "Factures en retard"
        )
