# %% [markdown]
# # The problem and the data
#
# Inline $a_0 x + a_1$ and display:
#
# $$\frac{\partial L}{\partial a} = \frac{2}{n} X^\top (Xa - y)$$

# %%
import torch
import matplotlib.pyplot as plt
import gd

x, y = gd.linear_data(100, seed=42)
x[:5]

# %%
plt.scatter(x[:, 0], y);

# %%
gd.plot_fit(x, y, torch.tensor([1., 1.]))

# %%
from matplotlib import rc
h = gd.fit(x, y, torch.tensor([-1., 1.]))
gd.animate_fit(x, y, h)
