"""A simulated Shopify store on loopback: signed webhooks out, the fulfilment API in.

See ``running.shop_sim`` (context manager), ``pytest_plugin`` (the ``shop_sim`` fixture) and
``faults`` (what goes wrong on command).
"""

from logisync.testing.shop.faults import ShopFaultPlan, ShopFaults
from logisync.testing.shop.running import ShopSim, shop_sim
from logisync.testing.shop.sender import Delivery, WebhookSender

__all__ = ["Delivery", "ShopFaultPlan", "ShopFaults", "ShopSim", "WebhookSender", "shop_sim"]
